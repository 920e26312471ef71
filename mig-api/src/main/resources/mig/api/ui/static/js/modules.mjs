// Launcher forms, one per module, built from each module's parameters as the agent reads them
// (mig-modules: file/Search and Options, netstat/NetstatParameters, ...). A module without a form here
// gets a JSON parameters box. Each field: [name, label, kind, default, hint]; kinds: lines (one value
// per line, a list), number, bool, text.
export const FORMS = {
  file: {
    help: 'Searches files by path, name, content, size, mode, time or hash (mig file).',
    fields: [
      ['paths', 'Paths to search (one per line)', 'lines', '/etc', 'where the walk starts'],
      ['names', 'Names (regular expressions, one per line)', 'lines', '', 'e.g. ^passwd$'],
      ['contents', 'Contents (regular expressions)', 'lines', '', 'matched line by line'],
      ['sizes', 'Sizes', 'lines', '', 'e.g. <10k, >1m'],
      ['modes', 'Modes (regular expressions)', 'lines', '', 'e.g. -rwxr.x..x'],
      ['mtimes', 'Modified within', 'lines', '', 'e.g. <90d'],
      ['md5', 'MD5', 'lines', ''], ['sha1', 'SHA-1', 'lines', ''], ['sha2', 'SHA-2', 'lines', ''], ['sha3', 'SHA-3', 'lines', ''],
      ['maxdepth', 'Maximum depth', 'number', 1000], ['matchlimit', 'Stop after this many matches', 'number', 1000],
      ['maxerrors', 'Maximum errors', 'number', 30], ['matchall', 'Every criterion must match', 'bool', true],
      ['macroal', 'Match all lines of content (macroal)', 'bool', false],
      ['returnsha256', 'Return the SHA-256 of found files', 'bool', false],
      ['decompress', 'Look inside gzip files', 'bool', false],
    ],
    build(v) {
      const search = {};
      for (const k of ['paths', 'names', 'contents', 'sizes', 'modes', 'mtimes', 'md5', 'sha1', 'sha2', 'sha3']) {
        if (v[k].length) search[k] = v[k];
      }
      if (!search.paths) throw new Error('Give at least one path to search.');
      if (Object.keys(search).length === 1) throw new Error('Give at least one criterion besides the paths (a name, a content, ...).');
      search.options = { maxdepth: v.maxdepth, maxerrors: v.maxerrors, matchall: v.matchall, macroal: v.macroal, mismatch: null, matchlimit: v.matchlimit };
      if (v.returnsha256) search.options.returnsha256 = true;
      if (v.decompress) search.options.decompress = true;
      return { searches: { s1: search } };
    },
  },
  netstat: {
    help: 'Looks for network addresses and connections (mig netstat).',
    fields: [
      ['localmac', 'Local MAC addresses (regular expressions)', 'lines', ''],
      ['localip', 'Local IP addresses or networks', 'lines', ''],
      ['neighbormac', 'Neighbour MAC addresses', 'lines', ''],
      ['neighborip', 'Neighbour IP addresses or networks', 'lines', ''],
      ['connectedip', 'Connected IP addresses or networks', 'lines', ''],
      ['listeningport', 'Listening ports', 'lines', ''],
      ['namespaces', 'Look in every network namespace', 'bool', false],
    ],
    build(v) {
      const p = {};
      for (const k of ['localmac', 'localip', 'neighbormac', 'neighborip', 'connectedip', 'listeningport']) if (v[k].length) p[k] = v[k];
      if (Object.keys(p).length === 0) throw new Error('Give at least one address or port to look for.');
      p.namespaces = v.namespaces;
      return p;
    },
  },
  timedrift: {
    help: 'Checks the agent\'s clock against NTP servers (mig timedrift).',
    fields: [['drift', 'Allowed drift (Go duration)', 'text', '5s']],
    build(v) { return { drift: v.drift }; },
  },
};

/** The modules the launcher offers: those with a form, then any other the agents report. */
export const KNOWN = ['file', 'netstat', 'timedrift', 'pkg', 'memory', 'sshkey', 'ping'];
