package mig.common.target;

/**
 * One lexical token of a target string. {@code raw} is the source text (used in error messages);
 * {@code value} is what it means: the unescaped content of a string literal, the operator symbol,
 * or the same as {@code raw} otherwise.
 */
record Token(Kind kind, String raw, String value, int position) {

    /** The token kinds the tokenizer produces; everything else is refused while tokenizing. */
    enum Kind {
        IDENT,
        STRING,
        NUMBER,
        OPERATOR,
        LPAREN,
        RPAREN,
        COMMA,
        DOT,
        END
    }

    static Token end(int position) {
        return new Token(Kind.END, "", "", position);
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** Keywords and identifiers are case-insensitive, as in SQL. */
    boolean isKeyword(String word) {
        return kind == Kind.IDENT && raw.equalsIgnoreCase(word);
    }

    boolean isOperator(String symbol) {
        return kind == Kind.OPERATOR && value.equals(symbol);
    }

    boolean isJsonOperator() {
        return isOperator("->") || isOperator("->>") || isOperator("#>") || isOperator("#>>");
    }

    /** How the token is named in a message headline: {@code 'x'}, {@code 'a string'} or "end of target". */
    String describe() {
        return switch (kind) {
            case END -> "end of target";
            case STRING -> TargetSyntaxException.shorten(raw); // already quoted
            default -> TargetSyntaxException.quote(raw);
        };
    }
}
