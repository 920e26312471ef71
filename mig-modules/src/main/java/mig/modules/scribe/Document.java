package mig.modules.scribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.modules.ParameterException;

/**
 * A scribe document, the original's {@code scribe.Document}: variables, objects (where the data
 * comes from: file content, file names, packages, raw values, lines present) and tests (criteria
 * over an object's data, with dependencies). Mutable as the original's structs are: the engine
 * prepares objects and stores test results in them ({@link Engine}).
 */
final class Document {

    static final class Variable {
        String key = "";
        String value = "";
    }

    static final class Object {
        String object = "";
        final FileContent fileContent = new FileContent();
        final FileName fileName = new FileName();
        final Pkg pkg = new Pkg();
        final Raw raw = new Raw();
        final HasLine hasLine = new HasLine();

        // engine state: the object's, and its source's as the original's source structs held it
        boolean isChain;
        boolean prepared;
        String err;
        List<Engine.ContentMatch> contentMatches = new ArrayList<>();
        List<Engine.Criterion> nameMatches = new ArrayList<>();
        List<Engine.Criterion> lineMatches = new ArrayList<>();
        List<Engine.Criterion> packages = new ArrayList<>();
    }

    static final class FileContent {
        String path = "";
        String file = "";
        String expression = "";
        String concat = "";
        List<String> importChain = List.of();
    }

    static final class FileName {
        String path = "";
        String file = "";
    }

    static final class Pkg {
        String name = "";
        String collectMatch = "";
        boolean onlyNewest;
    }

    static final class Raw {
        List<RawIdentifier> identifiers = List.of();
    }

    static final class RawIdentifier {
        String identifier = "";
        String value = "";
    }

    static final class HasLine {
        String path = "";
        String file = "";
        String expression = "";
    }

    static final class Tag {
        String key = "";
        String value = "";
    }

    static final class Test {
        String testId = "";
        String name = "";
        String object = "";
        String description = "";
        String evrOperation = "";
        String evrValue = "";
        String regexp = "";
        String exactMatch = "";
        List<Tag> tags = List.of();
        List<String> ifs = List.of();
        boolean expectedResult;
        boolean expectError;

        // engine state
        boolean evaluated;
        String err;
        boolean masterResult;
        boolean hasTrueResults;
        final List<Engine.Result> results = new ArrayList<>();
    }

    List<Variable> variables = List.of();
    List<Object> objects = List.of();
    List<Test> tests = List.of();

    /**
     * Reads a document from JSON as Go's json.Unmarshal into {@code scribe.Document} does.
     *
     * @param path   the JSON path of the document ({@code ""} for a file, {@code scribedoc} inside
     *               the module's parameters), which Go's messages start with
     * @param prefix what every type error starts with
     */
    static Document read(JsonNode n, String path, String prefix) throws ParameterException {
        GoStruct g = new GoStruct(prefix);
        Document d = new Document();
        if (n == null || n.isNull()) {
            return d;
        }
        if (!n.isObject()) {
            if (path.isEmpty()) {
                throw g.typeError(n, null, null, "scribe.Document");
            }
            int dot = path.lastIndexOf('.');
            throw g.typeError(n, "parameters", path.substring(dot + 1), "scribe.Document");
        }
        String p = path.isEmpty() ? "" : path + ".";
        GoStruct.fields(
                n,
                Map.of(
                        "variables",
                        v -> d.variables =
                                g.structs(v, "Document", p + "variables", "scribe.Variable", Variable::new, (e, x) -> {
                                    String vp = p + "variables.";
                                    GoStruct.fields(
                                            e,
                                            Map.of(
                                                    "key", k -> x.key = g.string(k, "Variable", vp + "key"),
                                                    "value", k -> x.value = g.string(k, "Variable", vp + "value")));
                                }),
                        "objects",
                        v -> d.objects = g.structs(
                                v,
                                "Document",
                                p + "objects",
                                "scribe.Object",
                                Object::new,
                                (e, x) -> readObject(g, e, x, p + "objects")),
                        "tests",
                        v -> d.tests = g.structs(
                                v,
                                "Document",
                                p + "tests",
                                "scribe.Test",
                                Test::new,
                                (e, x) -> readTest(g, e, x, p + "tests"))));
        return d;
    }

    private static void readObject(GoStruct g, JsonNode e, Object x, String p) throws ParameterException {
        GoStruct.fields(
                e,
                Map.of(
                        "object", v -> x.object = g.string(v, "Object", p + ".object"),
                        "filecontent",
                                v -> {
                                    String q = p + ".filecontent";
                                    g.struct(v, "Object", q, "scribe.FileContent");
                                    FileContent f = x.fileContent;
                                    GoStruct.fields(
                                            v,
                                            Map.of(
                                                    "path", w -> f.path = g.string(w, "FileContent", q + ".path"),
                                                    "file", w -> f.file = g.string(w, "FileContent", q + ".file"),
                                                    "expression",
                                                            w -> f.expression =
                                                                    g.string(w, "FileContent", q + ".expression"),
                                                    "concat", w -> f.concat = g.string(w, "FileContent", q + ".concat"),
                                                    "import-chain",
                                                            w -> f.importChain =
                                                                    g.strings(w, "FileContent", q + ".import-chain")));
                                },
                        "filename",
                                v -> {
                                    String q = p + ".filename";
                                    g.struct(v, "Object", q, "scribe.FileName");
                                    FileName f = x.fileName;
                                    GoStruct.fields(
                                            v,
                                            Map.of(
                                                    "path", w -> f.path = g.string(w, "FileName", q + ".path"),
                                                    "file", w -> f.file = g.string(w, "FileName", q + ".file")));
                                },
                        "package",
                                v -> {
                                    String q = p + ".package";
                                    g.struct(v, "Object", q, "scribe.Pkg");
                                    Pkg f = x.pkg;
                                    GoStruct.fields(
                                            v,
                                            Map.of(
                                                    "name", w -> f.name = g.string(w, "Pkg", q + ".name"),
                                                    "collectmatch",
                                                            w -> f.collectMatch =
                                                                    g.string(w, "Pkg", q + ".collectmatch"),
                                                    "onlynewest",
                                                            w -> f.onlyNewest = g.bool(w, "Pkg", q + ".onlynewest")));
                                },
                        "raw",
                                v -> {
                                    String q = p + ".raw";
                                    g.struct(v, "Object", q, "scribe.Raw");
                                    GoStruct.fields(
                                            v,
                                            Map.of(
                                                    "identifiers",
                                                    w -> x.raw.identifiers = g.structs(
                                                            w,
                                                            "Raw",
                                                            q + ".identifiers",
                                                            "scribe.RawIdentifiers",
                                                            RawIdentifier::new,
                                                            (ee, r) -> GoStruct.fields(
                                                                    ee,
                                                                    Map.of(
                                                                            "identifier",
                                                                            z -> r.identifier = g.string(
                                                                                    z,
                                                                                    "RawIdentifiers",
                                                                                    q + ".identifiers.identifier"),
                                                                            "value",
                                                                            z -> r.value = g.string(
                                                                                    z,
                                                                                    "RawIdentifiers",
                                                                                    q + ".identifiers.value"))))));
                                },
                        "hasline",
                                v -> {
                                    String q = p + ".hasline";
                                    g.struct(v, "Object", q, "scribe.HasLine");
                                    HasLine f = x.hasLine;
                                    GoStruct.fields(
                                            v,
                                            Map.of(
                                                    "path", w -> f.path = g.string(w, "HasLine", q + ".path"),
                                                    "file", w -> f.file = g.string(w, "HasLine", q + ".file"),
                                                    "expression",
                                                            w -> f.expression =
                                                                    g.string(w, "HasLine", q + ".expression")));
                                }));
    }

    private static void readTest(GoStruct g, JsonNode e, Test x, String p) throws ParameterException {
        java.util.Map<String, GoStruct.Field> f = new java.util.HashMap<>();
        f.put("test", v -> x.testId = g.string(v, "Test", p + ".test"));
        f.put("name", v -> x.name = g.string(v, "Test", p + ".name"));
        f.put("object", v -> x.object = g.string(v, "Test", p + ".object"));
        f.put("description", v -> x.description = g.string(v, "Test", p + ".description"));
        f.put("evr", v -> {
            g.struct(v, "Test", p + ".evr", "scribe.EVRTest");
            GoStruct.fields(
                    v,
                    Map.of(
                            "operation", w -> x.evrOperation = g.string(w, "EVRTest", p + ".evr.operation"),
                            "value", w -> x.evrValue = g.string(w, "EVRTest", p + ".evr.value")));
        });
        f.put("regexp", v -> {
            g.struct(v, "Test", p + ".regexp", "scribe.Regex");
            GoStruct.fields(v, Map.of("value", w -> x.regexp = g.string(w, "Regex", p + ".regexp.value")));
        });
        f.put("exactmatch", v -> {
            g.struct(v, "Test", p + ".exactmatch", "scribe.ExactMatch");
            GoStruct.fields(v, Map.of("value", w -> x.exactMatch = g.string(w, "ExactMatch", p + ".exactmatch.value")));
        });
        f.put(
                "tags",
                v -> x.tags = g.structs(
                        v,
                        "Test",
                        p + ".tags",
                        "scribe.TestTag",
                        Tag::new,
                        (ee, t) -> GoStruct.fields(
                                ee,
                                Map.of(
                                        "key", z -> t.key = g.string(z, "TestTag", p + ".tags.key"),
                                        "value", z -> t.value = g.string(z, "TestTag", p + ".tags.value")))));
        f.put("if", v -> x.ifs = g.strings(v, "Test", p + ".if"));
        f.put("expectedresult", v -> x.expectedResult = g.bool(v, "Test", p + ".expectedresult"));
        f.put("expecterror", v -> x.expectError = g.bool(v, "Test", p + ".expecterror"));
        GoStruct.fields(e, f);
    }

    /** The document as Go's json.Marshal writes {@code scribe.Document}: field order and omitempty. */
    ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode d = f.objectNode();
        if (!variables.isEmpty()) {
            ArrayNode a = d.putArray("variables");
            for (Variable v : variables) {
                a.addObject().put("key", v.key).put("value", v.value);
            }
        }
        if (!objects.isEmpty()) {
            ArrayNode a = d.putArray("objects");
            for (Object o : objects) {
                ObjectNode j = a.addObject();
                j.put("object", o.object);
                ObjectNode fc = j.putObject("filecontent");
                omit(fc, "path", o.fileContent.path);
                omit(fc, "file", o.fileContent.file);
                omit(fc, "expression", o.fileContent.expression);
                omit(fc, "concat", o.fileContent.concat);
                if (!o.fileContent.importChain.isEmpty()) {
                    ArrayNode ic = fc.putArray("import-chain");
                    o.fileContent.importChain.forEach(ic::add);
                }
                ObjectNode fn = j.putObject("filename");
                omit(fn, "path", o.fileName.path);
                omit(fn, "file", o.fileName.file);
                ObjectNode pk = j.putObject("package");
                omit(pk, "name", o.pkg.name);
                omit(pk, "collectmatch", o.pkg.collectMatch);
                if (o.pkg.onlyNewest) {
                    pk.put("onlynewest", true);
                }
                ObjectNode raw = j.putObject("raw");
                if (!o.raw.identifiers.isEmpty()) {
                    ArrayNode ids = raw.putArray("identifiers");
                    for (RawIdentifier r : o.raw.identifiers) {
                        ObjectNode ri = ids.addObject();
                        omit(ri, "identifier", r.identifier);
                        omit(ri, "value", r.value);
                    }
                }
                ObjectNode hl = j.putObject("hasline");
                omit(hl, "path", o.hasLine.path);
                omit(hl, "file", o.hasLine.file);
                omit(hl, "expression", o.hasLine.expression);
            }
        }
        if (!tests.isEmpty()) {
            ArrayNode a = d.putArray("tests");
            for (Test t : tests) {
                ObjectNode j = a.addObject();
                j.put("test", t.testId).put("name", t.name).put("object", t.object);
                omit(j, "description", t.description);
                ObjectNode evr = j.putObject("evr");
                omit(evr, "operation", t.evrOperation);
                omit(evr, "value", t.evrValue);
                omit(j.putObject("regexp"), "value", t.regexp);
                omit(j.putObject("exactmatch"), "value", t.exactMatch);
                if (!t.tags.isEmpty()) {
                    ArrayNode tags = j.putArray("tags");
                    for (Tag tag : t.tags) {
                        ObjectNode tj = tags.addObject();
                        omit(tj, "key", tag.key);
                        omit(tj, "value", tag.value);
                    }
                }
                if (!t.ifs.isEmpty()) {
                    ArrayNode ifs = j.putArray("if");
                    t.ifs.forEach(ifs::add);
                }
                if (t.expectedResult) {
                    j.put("expectedresult", true);
                }
                if (t.expectError) {
                    j.put("expecterror", true);
                }
            }
        }
        return d;
    }

    private static void omit(ObjectNode o, String key, String value) {
        if (!value.isEmpty()) {
            o.put(key, value);
        }
    }

    /** The copy {@code getObjectInterfaceCopy} makes of an object: its definition, no engine state. */
    static Object copyOf(Object o) {
        Object c = new Object();
        c.object = o.object;
        c.fileContent.path = o.fileContent.path;
        c.fileContent.file = o.fileContent.file;
        c.fileContent.expression = o.fileContent.expression;
        c.fileContent.concat = o.fileContent.concat;
        c.fileContent.importChain = o.fileContent.importChain;
        c.fileName.path = o.fileName.path;
        c.fileName.file = o.fileName.file;
        c.pkg.name = o.pkg.name;
        c.pkg.collectMatch = o.pkg.collectMatch;
        c.pkg.onlyNewest = o.pkg.onlyNewest;
        c.raw.identifiers = o.raw.identifiers;
        c.hasLine.path = o.hasLine.path;
        c.hasLine.file = o.hasLine.file;
        c.hasLine.expression = o.hasLine.expression;
        c.contentMatches = new ArrayList<>(o.contentMatches);
        c.nameMatches = new ArrayList<>(o.nameMatches);
        c.lineMatches = new ArrayList<>(o.lineMatches);
        c.packages = new ArrayList<>(o.packages);
        return c;
    }
}
