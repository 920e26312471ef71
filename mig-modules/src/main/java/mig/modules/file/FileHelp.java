package mig.modules.file;

/**
 * The text {@code mig file help} prints: the original client's help, character for character
 * (tabs included), so that investigators find what they know.
 */
final class FileHelp {

    private static final String TEXT = "Search parameters\n"
            + "-----------------\n"
            + "-path <string>\t- search down a given path until the end or maxdepth is reached.\n"
            + "\t\t  follow symlinks if the linked path is located within the base path\n"
            + "\t\t  (search path /sys/bus/usb/devices/ won't symlink to /sys/devices).\n"
            + "\t\t  ex: -path /etc\n"
            + "\n"
            + "-name <regex>\t- regex to match against the name of a file. use !<regex> to inverse it.\n"
            + "\t\t  ex: -name \\.sql$\n"
            + "\t\t      -name !^backup.+\\.sql$\n"
            + "\n"
            + "-size <size>\t- match files with a size smaller or greater that <size>\n"
            + "\t\t  prefix with '<' for lower than, and '>' for greater than\n"
            + "\t\t  suffix with k, m, g or t for kilo, mega, giga and terabytes\n"
            + "\t\t  ex: -size <10m     (match files larger than 10 megabytes)\n"
            + "\n"
            + "-mode <regex>\t- filter on the filemode, provided as a regex on the mode string\n"
            + "\t\t  ex: -mode -r(w|-)xr-x---\n"
            + "\n"
            + "-mtime <period>  - match files modified before or since <period>\n"
            + "\t\t  prefix with '<' for modified since, and '>' for modified before\n"
            + "\t\t  suffix with d, h, m for days, hours and minutes\n"
            + "\t\t  ex: -mtime <90d (match files modified since last 90 days)\n"
            + "\n"
            + "-content <regex> - regex to match against file content. use !<regex> to inverse it.\n"
            + "\t\t  ex: -content ^root:\\$1\\$10CXRS19\\$/h\n"
            + "\n"
            + "-md5 <hash>      .\n"
            + "-sha1 <hash>     .\n"
            + "-sha2 <hash>     .\n"
            + "-sha3 <hash>     - search file that matches a given hash\n"
            + "\n"
            + "Options\n"
            + "-------\n"
            + "-maxdepth <int>\t- limit search depth to <int> levels. default to 1000, 0 means no limit.\n"
            + "\t\t\t  ex: -maxdepth 3\n"
            + "\n"
            + "-matchall\t\t- all search parameters must match on a given file for it to\n"
            + "\t\t\t  return as a match. off by default. deactivates 'matchany' if set.\n"
            + "\t\t\t  ex: -matchall\n"
            + "\n"
            + "-matchany\t\t- any search parameter must match on a given file for it to\n"
            + "\t\t\t  return as a match. on by default. deactivates 'matchall' if set.\n"
            + "\t\t\t  ex: -matchany\n"
            + "\n"
            + "-macroal\t\t- by default, a 'content' regex only need to match one line of a file\n"
            + "\t\t\t  to return a match. With the 'macroal' option set, all line of a file\n"
            + "\t\t\t  must match a content regex for the file to match. default is off.\n"
            + "\t\t\t  ex: -macroal\n"
            + "\n"
            + "-mismatch <filter>\t- invert the results for the a parameter. Mismatch is used to list\n"
            + "\t\t\t  files that **did not** match a given expression. Use it is cooperation\n"
            + "\t\t\t  with a search parameter:\n"
            + "\t\t\t  ex: -mismatch content\n"
            + "\n"
            + "-matchlimit <int>\t- limit the number of files that can be matched by a search.\n"
            + "\t\t\t  the default limit is set to 1000. search will stop once the limit\n"
            + "\t\t\t  is reached. 0 means no limit.\n"
            + "\n"
            + "-returnsha256\t\t- include sha256 hash for matched files.\n"
            + "\t\t\t  ex: -returnsha256\n"
            + "\n"
            + "-decompress\t\t- decompress file before inspection\n"
            + "\t\t\t  ex: -decompress\n"
            + "\n"
            + "-maxerrors <int>\t- limit walking errors returned during search to <int>.\n"
            + "\t\t\t  default to 30, 0 means no walking error is returned.\n"
            + "\t\t\t  ex: -maxerrors 1000\n"
            + "\n"
            + "Module documentation is in docs/modules/file.md of MIG for Java (the folder bin/mig runs from)\n"
            + "Cheatsheet and examples are in docs/cheatsheet.md\n";

    private FileHelp() {
    }

    static String text() {
        return TEXT;
    }
}
