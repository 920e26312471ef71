package mig.modules.scribe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mig.common.regex.GoRegexp;

/**
 * The scribe engine, as the original's vendored {@code github.com/mozilla/scribe} (version 0.5) ran
 * a document: validate, prepare every object that is not part of an import chain (expanding the
 * document's variables), fire the import chains, then run every test (its dependencies first) over
 * the criteria its object yields. Errors stay with the object or test they belong to, as there.
 *
 * <p>Where the original's behaviour came from Go's map order (a {@code concat} over several files
 * listed them in random order), this engine keeps the order the files were found in.
 */
final class Engine {

    /** Where objects get their data: the file module's search, the package list, file lines. */
    interface Host {
        /** Files under {@code root} whose name matches {@code pattern}, to {@code depth} levels. */
        List<String> locate(String pattern, String root, int depth) throws ScribeError;

        /** Installed packages (name, version), rpm's then dpkg's as the original listed them. */
        List<Criterion> packages();

        /**
         * Gives {@code line} each line of the file as Go's bufio.Reader.ReadLine returned them;
         * false when the file cannot be opened or read to its end.
         */
        boolean eachLine(String path, java.util.function.Consumer<String> line);
    }

    /** An error that stays with an object or a test (the original's {@code error} values). */
    static final class ScribeError extends Exception {
        private static final long serialVersionUID = 1L;

        ScribeError(String message) {
            super(message, null, false, false);
        }
    }

    /** A Go panic inside the engine, which the module's recover() turns into the run's one error. */
    static final class ScribePanic extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScribePanic(String message) {
            super(message, null, false, false);
        }
    }

    /** The original's {@code evaluationCriteria}: where a value came from, and the value. */
    record Criterion(String identifier, String testValue) {}

    /** One evaluation of a test over one criterion. */
    record Result(Criterion criterion, boolean result) {}

    /** A file's matching lines, each line's groups. */
    record ContentMatch(String path, List<List<String>> groups) {}

    enum Kind {
        PACKAGE,
        FILECONTENT,
        FILENAME,
        RAW,
        HASLINE
    }

    private static final int MAX_DEPTH = 10;

    /**
     * How deeply import chains may nest. The original recursed without a limit: a chain object
     * importing itself ran until Go's stack overflowed, which kills the whole agent. Here the
     * object gets an error instead.
     */
    static final int MAX_CHAIN_DEPTH = 32;

    private final Document d;
    private final Host host;

    Engine(Document d, Host host) {
        this.d = d;
        this.host = host;
    }

    // ---------------------------------------------------------------- validation

    /** The original's {@code Document.Validate}: the first problem, or null. */
    static String validate(Document d) {
        for (Document.Object o : d.objects) {
            if (o.object.isEmpty()) {
                return "an object in document has no identifier";
            }
            Kind k = kind(o);
            if (k == null) {
                return o.object + ": no valid source interface";
            }
            String e = validateSource(d, o, k);
            if (e != null) {
                return o.object + ": " + e;
            }
        }
        for (Document.Test t : d.tests) {
            if (t.testId.isEmpty()) {
                return "a test in document has no identifier";
            }
            for (String x : t.ifs) {
                Document.Test ptr = test(d, x);
                if (ptr == null) {
                    return t.testId + ": unknown test \"" + x + "\"";
                }
                if (ptr == t) {
                    return t.testId + ": test cannot reference itself";
                }
            }
            for (Document.Tag tag : t.tags) {
                if (tag.key.indexOf('"') >= 0) {
                    return t.testId + ": test tag key cannot contain quote";
                }
                if (tag.value.indexOf('"') >= 0) {
                    return t.testId + ": test tag value cannot contain quote";
                }
            }
        }
        return null;
    }

    private static String validateSource(Document d, Document.Object o, Kind k) {
        switch (k) {
            case FILECONTENT -> {
                Document.FileContent f = o.fileContent;
                if (f.path.isEmpty()) {
                    return "filecontent path must be set";
                }
                if (f.file.isEmpty()) {
                    return "filecontent file must be set";
                }
                String e = compileError(f.file);
                if (e != null) {
                    return e;
                }
                if (f.expression.isEmpty()) {
                    return "filecontent expression must be set";
                }
                e = compileError(f.expression);
                if (e != null) {
                    return e;
                }
                for (String c : f.importChain) {
                    if (firstObject(d, c) == null) {
                        return "unknown object \"" + c + "\"";
                    }
                }
                return null;
            }
            case FILENAME -> {
                if (o.fileName.path.isEmpty()) {
                    return "filename path must be set";
                }
                return o.fileName.file.isEmpty() ? "filename file must be set" : null;
            }
            case PACKAGE -> {
                if (o.pkg.name.isEmpty()) {
                    return "package must specify name";
                }
                return o.pkg.collectMatch.isEmpty() ? null : compileError(o.pkg.collectMatch);
            }
            case RAW -> {
                if (o.raw.identifiers.isEmpty()) {
                    return "at least one identifier must be present";
                }
                for (Document.RawIdentifier r : o.raw.identifiers) {
                    if (r.identifier.isEmpty() || r.value.isEmpty()) {
                        return "identifier must include identifier and value";
                    }
                }
                return null;
            }
            case HASLINE -> {
                Document.HasLine h = o.hasLine;
                if (h.path.isEmpty()) {
                    return "hasline path must be set";
                }
                if (h.file.isEmpty()) {
                    return "hasline file must be set";
                }
                String e = compileError(h.file);
                if (e != null) {
                    return e;
                }
                if (h.expression.isEmpty()) {
                    return "hasline expression must be set";
                }
                return compileError(h.expression);
            }
            default -> throw new IllegalStateException(k.name());
        }
    }

    private static String compileError(String expr) {
        try {
            GoRegexp.compile(expr);
            return null;
        } catch (GoRegexp.SyntaxException e) {
            return e.getMessage();
        }
    }

    /** The source an object uses: the first of package name, file content path, ... that is set. */
    static Kind kind(Document.Object o) {
        if (!o.pkg.name.isEmpty()) {
            return Kind.PACKAGE;
        } else if (!o.fileContent.path.isEmpty()) {
            return Kind.FILECONTENT;
        } else if (!o.fileName.path.isEmpty()) {
            return Kind.FILENAME;
        } else if (!o.raw.identifiers.isEmpty()) {
            return Kind.RAW;
        } else if (!o.hasLine.path.isEmpty()) {
            return Kind.HASLINE;
        }
        return null;
    }

    static Document.Test test(Document d, String id) {
        for (Document.Test t : d.tests) {
            if (t.testId.equals(id)) {
                return t;
            }
        }
        return null;
    }

    private static Document.Object firstObject(Document d, String name) {
        for (Document.Object o : d.objects) {
            if (o.object.equals(name)) {
                return o;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- analysis

    /** The original's {@code AnalyzeDocument}: objects prepared, chains fired, tests run. */
    void analyze() {
        for (Document.Object o : d.objects) {
            Kind k = kind(o);
            o.isChain = k == Kind.FILECONTENT && isChain(o);
        }
        for (Document.Object o : d.objects) {
            prepareObject(o);
        }
        for (Document.Object o : d.objects) {
            fireObjectChains(o);
        }
        for (Document.Test t : d.tests) {
            runTest(t);
        }
    }

    private static boolean isChain(Document.Object o) {
        return o.fileContent.path.contains("${chain_root}");
    }

    private void prepareObject(Document.Object o) {
        if (o.isChain || o.prepared) {
            return;
        }
        o.prepared = true;
        Kind k = kind(o);
        if (k == null) {
            o.err = "object has no valid interface";
            return;
        }
        expand(o, k, d.variables);
        try {
            prepare(o, k);
        } catch (ScribeError e) {
            o.err = e.getMessage();
        }
    }

    private void fireObjectChains(Document.Object o) {
        Kind k = kind(o);
        if (k == Kind.FILECONTENT && isChain(o)) {
            return;
        }
        if (o.err != null) {
            return;
        }
        try {
            List<Criterion> c = fireChains(o, k, 0);
            if (c != null) {
                merge(o, k, c);
            }
        } catch (ScribeError e) {
            o.err = e.getMessage();
        }
    }

    private static void expand(Document.Object o, Kind k, List<Document.Variable> vars) {
        switch (k) {
            case FILECONTENT -> {
                o.fileContent.path = expand(vars, o.fileContent.path);
                o.fileContent.file = expand(vars, o.fileContent.file);
            }
            case FILENAME -> o.fileName.path = expand(vars, o.fileName.path);
            case PACKAGE -> o.pkg.name = expand(vars, o.pkg.name);
            case HASLINE -> {
                o.hasLine.path = expand(vars, o.hasLine.path);
                o.hasLine.file = expand(vars, o.hasLine.file);
            }
            case RAW -> {}
        }
    }

    /** {@code variableExpansion}: each {@code ${key}} replaced, the key read as a regexp as there. */
    static String expand(List<Document.Variable> vars, String in) {
        String res = in;
        for (Document.Variable v : vars) {
            String s = "\\$\\{" + v.key + "\\}";
            GoRegexp re;
            try {
                re = GoRegexp.compile(s);
            } catch (GoRegexp.SyntaxException e) {
                // regexp.MustCompile's panic
                throw new ScribePanic("regexp: Compile(" + goRegexpQuote(s) + "): " + e.getMessage());
            }
            res = re.replaceAllLiteral(res, v.value);
        }
        return res;
    }

    private static String goRegexpQuote(String s) {
        boolean backquote = s.indexOf('`') < 0 && s.indexOf('\uFEFF') < 0;
        for (int i = 0; i < s.length() && backquote; i++) {
            char c = s.charAt(i);
            backquote = !((c < 0x20 && c != '\t') || c == 0x7f);
        }
        return backquote ? "`" + s + "`" : mig.modules.GoFlags.quote(s);
    }

    private void prepare(Document.Object o, Kind k) throws ScribeError {
        switch (k) {
            case PACKAGE -> preparePackage(o);
            case FILECONTENT -> {
                Document.FileContent f = o.fileContent;
                for (String x : host.locate(f.file, f.path, MAX_DEPTH)) {
                    List<List<String>> m = contentCheck(x, f.expression);
                    if (m == null || m.isEmpty()) {
                        continue;
                    }
                    o.contentMatches.add(new ContentMatch(x, m));
                }
            }
            case FILENAME -> {
                Document.FileName f = o.fileName;
                List<String> found = host.locate(f.file, f.path, MAX_DEPTH);
                GoRegexp re;
                try {
                    re = GoRegexp.compile(f.file);
                } catch (GoRegexp.SyntaxException e) {
                    throw new ScribeError(e.getMessage());
                }
                for (String x : found) {
                    List<String> m = re.findSubmatch(x.substring(x.lastIndexOf('/') + 1));
                    if (m == null || m.size() < 2) {
                        continue;
                    }
                    o.nameMatches.add(new Criterion(x, m.get(1)));
                }
            }
            case HASLINE -> {
                Document.HasLine h = o.hasLine;
                for (String x : host.locate(h.file, h.path, MAX_DEPTH)) {
                    List<List<String>> m = contentCheck(x, h.expression);
                    if (m == null) {
                        continue; // unreadable: skipped, as the original's soft errors
                    }
                    o.lineMatches.add(new Criterion(x, String.valueOf(!m.isEmpty())));
                }
            }
            case RAW -> {}
        }
    }

    private void preparePackage(Document.Object o) throws ScribeError {
        o.packages = new ArrayList<>();
        List<Criterion> found = new ArrayList<>();
        GoRegexp collect = null;
        boolean badCollect = false;
        if (!o.pkg.collectMatch.isEmpty()) {
            try {
                collect = GoRegexp.compile(o.pkg.collectMatch);
            } catch (GoRegexp.SyntaxException e) {
                badCollect = true; // regexp.MatchString's error: the package is skipped
            }
        }
        for (Criterion p : host.packages()) {
            if (o.pkg.collectMatch.isEmpty()) {
                if (!p.identifier().equals(o.pkg.name)) {
                    continue;
                }
            } else if (badCollect || !collect.find(p.identifier())) {
                continue;
            }
            found.add(p);
        }
        if (o.pkg.onlyNewest && !found.isEmpty()) {
            Criterion newest = null;
            for (Criterion p : found) {
                if (newest == null) {
                    newest = p;
                    continue;
                }
                if (Evr.compare(Evr.LESS_THAN, newest.testValue(), p.testValue())) {
                    newest = p;
                }
            }
            o.packages.add(newest);
            return;
        }
        o.packages.addAll(found);
    }

    /** {@code fileContentCheck}: every line's groups where {@code regex} matches; null when unreadable. */
    private List<List<String>> contentCheck(String path, String regex) {
        GoRegexp re;
        try {
            re = GoRegexp.compile(regex);
        } catch (GoRegexp.SyntaxException e) {
            return null;
        }
        List<List<String>> out = new ArrayList<>();
        boolean read = host.eachLine(path, ln -> {
            List<String> m = re.findSubmatch(ln);
            if (m != null) {
                out.add(m.subList(1, m.size()));
            }
        });
        return read ? out : null;
    }

    List<Criterion> criteria(Document.Object o, Kind k) {
        List<Criterion> ret = new ArrayList<>();
        switch (k) {
            case PACKAGE -> ret.addAll(o.packages);
            case FILECONTENT -> {
                for (ContentMatch x : o.contentMatches) {
                    for (List<String> line : x.groups()) {
                        for (String z : line) {
                            ret.add(new Criterion(x.path(), z));
                        }
                    }
                }
                if (!o.fileContent.concat.isEmpty()) {
                    return concat(ret, o.fileContent.concat);
                }
            }
            case FILENAME -> ret.addAll(o.nameMatches);
            case HASLINE -> ret.addAll(o.lineMatches);
            case RAW -> {
                for (Document.RawIdentifier r : o.raw.identifiers) {
                    ret.add(new Criterion(r.identifier, r.value));
                }
            }
        }
        return ret;
    }

    private static List<Criterion> concat(List<Criterion> in, String sep) {
        Map<String, String> byId = new LinkedHashMap<>();
        for (Criterion x : in) {
            byId.put(x.identifier(), "");
        }
        for (Criterion x : in) {
            String cur = byId.get(x.identifier());
            byId.put(x.identifier(), cur.isEmpty() ? x.testValue() : cur + sep + x.testValue());
        }
        List<Criterion> ret = new ArrayList<>();
        byId.forEach((id, v) -> ret.add(new Criterion(id, v)));
        return ret;
    }

    private List<Criterion> fireChains(Document.Object o, Kind k, int depth) throws ScribeError {
        if (k != Kind.FILECONTENT || o.fileContent.importChain.isEmpty()) {
            return null;
        }
        if (depth >= MAX_CHAIN_DEPTH) {
            throw new ScribeError(
                    "import-chain nested deeper than " + MAX_CHAIN_DEPTH + " objects (an object that imports itself?)");
        }
        List<String> uids = new ArrayList<>();
        for (ContentMatch x : o.contentMatches) {
            if (!uids.contains(x.path())) {
                uids.add(x.path());
            }
        }
        List<Criterion> ret = new ArrayList<>();
        for (String x : uids) {
            Document.Variable root = new Document.Variable();
            root.key = "chain_root";
            root.value = x.substring(0, x.lastIndexOf('/') + 1);
            for (String y : o.fileContent.importChain) {
                Document.Object oc = Document.copyOf(firstObject(d, y));
                Kind ck = kind(oc);
                expand(oc, ck, List.of(root));
                prepare(oc, ck);
                List<Criterion> c = fireChains(oc, ck, depth + 1);
                if (c != null) {
                    merge(oc, ck, c);
                }
                for (Criterion z : criteria(oc, ck)) {
                    ret.add(new Criterion(x, z.testValue()));
                }
            }
        }
        return ret;
    }

    private static void merge(Document.Object o, Kind k, List<Criterion> c) {
        if (k != Kind.FILECONTENT) {
            return;
        }
        for (Criterion x : c) {
            o.contentMatches.add(new ContentMatch(x.identifier(), List.of(List.of(x.testValue()))));
        }
    }

    // ---------------------------------------------------------------- tests

    /** {@code runTest}: the test's error, or null. */
    private String runTest(Document.Test t) {
        if (t.evaluated) {
            return null;
        }
        if (t.err != null) {
            return t.err;
        }
        t.evaluated = true;
        for (String x : t.ifs) {
            Document.Test dt = test(d, x);
            if (dt == null) {
                return t.err = "unknown test \"" + x + "\"";
            }
            if (runTest(dt) != null) {
                return t.err = "a test dependency failed (\"" + x + "\")";
            }
        }
        // objectPrepared() looks at the last object of that name, getObjectInterface() at the first
        Document.Object last = null;
        for (Document.Object o : d.objects) {
            if (o.object.equals(t.object)) {
                last = o;
            }
        }
        if (last == null) {
            return t.err = "unknown object \"" + t.object + "\"";
        }
        if (last.err != null) {
            return t.err = last.err;
        }
        if (!last.prepared) {
            return t.err = "object not prepared";
        }
        Document.Object first = firstObject(d, t.object);
        Kind k = kind(first);
        if (k == null) {
            return t.err = "test has no valid source interface";
        }
        for (Criterion c : criteria(first, k)) {
            try {
                t.results.add(new Result(c, evaluate(t, c)));
            } catch (ScribeError e) {
                return t.err = e.getMessage();
            }
        }
        t.hasTrueResults = t.results.stream().anyMatch(Result::result);
        t.masterResult = t.hasTrueResults;
        for (String x : t.ifs) {
            Document.Test dt = test(d, x);
            if (!dt.masterResult) {
                t.masterResult = false;
                break;
            }
        }
        return null;
    }

    private static boolean evaluate(Document.Test t, Criterion c) throws ScribeError {
        if (!t.evrValue.isEmpty()) {
            int op = Evr.operation(t.evrOperation);
            if (op == Evr.UNKNOWN) {
                throw new ScribeError("invalid evr operation " + t.evrOperation);
            }
            return Evr.compare(op, c.testValue(), t.evrValue);
        }
        if (!t.regexp.isEmpty()) {
            try {
                return GoRegexp.compile(t.regexp).find(c.testValue());
            } catch (GoRegexp.SyntaxException e) {
                throw new ScribeError(e.getMessage());
            }
        }
        if (!t.exactMatch.isEmpty()) {
            return c.testValue().equals(t.exactMatch);
        }
        return true;
    }

    /** {@code GetResults}: what the module returns for a test. */
    static TestResult result(Document.Test t) {
        List<TestResult.Tag> tags = t.tags.isEmpty()
                ? null
                : t.tags.stream().map(x -> new TestResult.Tag(x.key, x.value)).toList();
        if (t.err != null) {
            return new TestResult(t.testId, t.name, t.description, tags, true, t.err, false, false, null);
        }
        List<TestResult.Sub> subs = t.results.isEmpty()
                ? null
                : t.results.stream()
                        .map(r -> new TestResult.Sub(r.result(), r.criterion().identifier()))
                        .toList();
        return new TestResult(t.testId, t.name, t.description, tags, false, "", t.masterResult, t.hasTrueResults, subs);
    }
}
