package mig.common.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One JSON operator applied to {@code environment} or {@code tags}: {@code ->'key'},
 * {@code ->>'key'}, {@code ->0}, {@code #>'{a,b}'} or {@code #>>'{a,b}'}. Targets in MIG's docs
 * use these to reach fields such as {@code environment->>'os'} and {@code tags#>>'{operator}'};
 * keys and paths are always bound as parameters.
 */
public sealed interface JsonStep permits JsonStep.Key, JsonStep.Index, JsonStep.Path {

    /** @return true for {@code ->>} and {@code #>>}, which yield text and end a chain */
    boolean asText();

    /** @return the PostgreSQL operator: {@code ->}, {@code ->>}, {@code #>} or {@code #>>} */
    String operator();

    /** {@code ->'key'} or {@code ->>'key'}: an object field. */
    record Key(String key, boolean asText) implements JsonStep {
        public Key {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String operator() {
            return asText ? "->>" : "->";
        }
    }

    /** {@code ->0} or {@code ->>0}: an array element, e.g. {@code environment->'addresses'->>0}. */
    record Index(int index, boolean asText) implements JsonStep {
        public Index {
            if (index < 0) {
                throw new IllegalArgumentException("a json array index must not be negative, got " + index);
            }
        }

        @Override
        public String operator() {
            return asText ? "->>" : "->";
        }
    }

    /**
     * {@code #>'{a,b}'} or {@code #>>'{a,b}'}: a path of object keys. The elements are kept apart
     * and re-rendered as a quoted array literal, so the literal the user wrote never reaches
     * PostgreSQL's array parser as is.
     */
    record Path(List<String> elements, boolean asText) implements JsonStep {
        public Path {
            elements = List.copyOf(elements);
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("a json path needs at least one key, e.g. '{operator}'");
            }
            for (String e : elements) {
                if (e.isBlank() || e.chars().anyMatch(c -> "{}\"\\,".indexOf(c) >= 0)) {
                    throw new IllegalArgumentException("json path key " + TargetSyntaxException.quote(e)
                            + " must be non-empty and free of { } \" \\ ,");
                }
            }
        }

        /**
         * Parses a path literal as MIG's docs write it: {@code {operator}} or {@code {aws,instanceid}}.
         *
         * @throws IllegalArgumentException when the literal is not a brace-enclosed, comma-separated key list
         */
        public static Path parse(String literal, boolean asText) {
            String s = literal.strip();
            if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
                throw new IllegalArgumentException("a json path is written '{key}' or '{key,subkey}', got "
                        + TargetSyntaxException.quote(literal));
            }
            List<String> keys = new ArrayList<>();
            for (String key : s.substring(1, s.length() - 1).split(",", -1)) {
                keys.add(key.strip());
            }
            return new Path(keys, asText);
        }

        /** @return the text[] literal bound for the path, every key double-quoted: {@code {"aws","instanceid"}} */
        public String arrayLiteral() {
            StringBuilder b = new StringBuilder("{");
            for (int k = 0; k < elements.size(); k++) {
                b.append(k == 0 ? "\"" : ",\"").append(elements.get(k)).append('"');
            }
            return b.append('}').toString();
        }

        @Override
        public String operator() {
            return asText ? "#>>" : "#>";
        }
    }
}
