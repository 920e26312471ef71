package mig.common.target;

import java.util.ArrayList;
import java.util.List;
import mig.common.target.Token.Kind;

/**
 * Splits a target string into tokens and refuses, at the first character, everything that only
 * makes sense for smuggling SQL: statement separators, comments, dollar quoting, escape-string
 * prefixes, quoted identifiers, casts and any character outside the small target alphabet. It is
 * a single loop (no recursion), so no input can exhaust the stack here.
 */
final class Tokenizer {

    private static final String THE_ALPHABET = "a target may only contain columns, 'string' literals, numbers, "
            + "( ) , . = <> != < <= > >= ~ ~* !~ !~* -> ->> #> #>> + - and whitespace";

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int i;

    private Tokenizer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        checkSize(src);
        return new Tokenizer(src).run();
    }

    private static void checkSize(String src) {
        int length = src.codePointCount(0, src.length());
        if (length > Target.MAX_LENGTH) {
            int cut = src.offsetByCodePoints(0, Target.MAX_LENGTH);
            throw new TargetSyntaxException(
                    "target of " + length + " characters is too long",
                    cut,
                    "",
                    "the maximum is " + Target.MAX_LENGTH + " characters (actions.target is varchar("
                            + Target.MAX_LENGTH + "))");
        }
        if (src.isBlank()) {
            throw new TargetSyntaxException("empty target", 0, "", "write a condition such as status='online'");
        }
    }

    private List<Token> run() {
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
            } else if (isIdentStart(c)) {
                identifier();
            } else if (c >= '0' && c <= '9') {
                number();
            } else if (c == '\'') {
                string();
            } else {
                symbol(c);
            }
        }
        tokens.add(Token.end(src.length()));
        return tokens;
    }

    private void identifier() {
        int start = i;
        while (i < src.length() && (isIdentStart(src.charAt(i)) || isDigit(src.charAt(i)))) {
            i++;
        }
        String word = src.substring(start, i);
        if (i < src.length()
                && src.charAt(i) == '\''
                && word.length() == 1
                && "ebxn".indexOf(Character.toLowerCase(word.charAt(0))) >= 0) {
            throw refuse(
                    start,
                    word + "'",
                    "prefixed string literal " + word + "'...'",
                    "E'', B'', X'' and N'' literals are not allowed; use a plain 'string'");
        }
        if (i < src.length() && src.charAt(i) == '$') {
            throw refuse(i, "$", "unexpected '$'", "dollar quoting and $n parameters are not allowed");
        }
        add(Kind.IDENT, start, word);
    }

    private void number() {
        int start = i;
        skipDigits();
        if (i + 1 < src.length() && src.charAt(i) == '.' && isDigit(src.charAt(i + 1))) {
            i++;
            skipDigits();
        }
        if (i < src.length() && (isIdentStart(src.charAt(i)) || src.charAt(i) == '.')) {
            while (i < src.length()
                    && (isIdentStart(src.charAt(i)) || isDigit(src.charAt(i)) || src.charAt(i) == '.')) {
                i++;
            }
            throw refuse(
                    start,
                    src.substring(start, i),
                    "malformed number " + TargetSyntaxException.quote(src.substring(start, i)),
                    "numbers are written as digits with an optional decimal part, e.g. 42 or 1.5");
        }
        add(Kind.NUMBER, start, src.substring(start, i));
    }

    private void skipDigits() {
        while (i < src.length() && isDigit(src.charAt(i))) {
            i++;
        }
    }

    /** A standard SQL string: '' is a quote; backslashes are ordinary characters (standard_conforming_strings). */
    private void string() {
        int start = i++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (i >= src.length()) {
                throw refuse(
                        start,
                        src.substring(start),
                        "unterminated string literal",
                        "the quote opened here is never closed (write '' for a quote inside a string)");
            }
            char c = src.charAt(i++);
            if (c == '\'') {
                if (i < src.length() && src.charAt(i) == '\'') {
                    value.append('\'');
                    i++;
                } else {
                    break;
                }
            } else if (c == '\0') {
                throw refuse(i - 1, "\\0", "NUL character", "PostgreSQL text cannot contain NUL");
            } else {
                value.append(c);
            }
        }
        tokens.add(new Token(Kind.STRING, src.substring(start, i), value.toString(), start));
    }

    private void symbol(char c) {
        int start = i;
        switch (c) {
            case '(' -> single(Kind.LPAREN);
            case ')' -> single(Kind.RPAREN);
            case ',' -> single(Kind.COMMA);
            case '.' -> single(Kind.DOT);
            case '=', '+' -> operator(String.valueOf(c));
            case ';' -> throw refuse(start, ";", "unexpected ';'", "only one boolean expression is allowed");
            case '-' -> {
                if (at(1) == '-') {
                    throw refuse(start, "--", "unexpected '--'", "SQL comments are not allowed");
                }
                operator(at(1) != '>' ? "-" : at(2) == '>' ? "->>" : "->");
            }
            case '/' -> {
                if (at(1) == '*') {
                    throw refuse(start, "/*", "unexpected '/*'", "SQL comments are not allowed");
                }
                throw refuse(start, "/", "unexpected '/'", THE_ALPHABET);
            }
            case '#' -> {
                if (at(1) != '>') {
                    throw refuse(start, "#", "unexpected '#'", "'#' only appears in the json operators #> and #>>");
                }
                operator(at(2) == '>' ? "#>>" : "#>");
            }
            case '<' -> operator(at(1) == '=' ? "<=" : at(1) == '>' ? "<>" : "<");
            case '>' -> operator(at(1) == '=' ? ">=" : ">");
            case '~' -> operator(at(1) == '*' ? "~*" : "~");
            case '!' -> {
                if (at(1) == '=') {
                    operator("!=");
                } else if (at(1) == '~') {
                    operator(at(2) == '*' ? "!~*" : "!~");
                } else {
                    throw refuse(start, "!", "unexpected '!'", "'!' only appears in != , !~ and !~*");
                }
            }
            case ':' ->
                throw refuse(
                        start,
                        at(1) == ':' ? "::" : ":",
                        "unexpected " + TargetSyntaxException.quote(at(1) == ':' ? "::" : ":"),
                        "type casts are not allowed");
            case '$' -> throw refuse(start, "$", "unexpected '$'", "dollar quoting and $n parameters are not allowed");
            case '"' ->
                throw refuse(
                        start,
                        "\"",
                        "unexpected '\"'",
                        "double-quoted identifiers are not allowed; write column names plainly, e.g. name");
            case '\\' ->
                throw refuse(start, "\\", "unexpected '\\'", "a backslash may only appear inside a 'string' literal");
            default -> throw refuse(start, String.valueOf(c), "unexpected " + displayChar(c), THE_ALPHABET);
        }
    }

    private void single(Kind kind) {
        add(kind, i, src.substring(i, i + 1));
    }

    private void operator(String symbol) {
        add(Kind.OPERATOR, i, symbol);
    }

    private void add(Kind kind, int start, String text) {
        tokens.add(new Token(kind, text, text, start));
        i = start + text.length();
    }

    /** The character {@code ahead} places after the current one, or 0 past the end. */
    private char at(int ahead) {
        return i + ahead < src.length() ? src.charAt(i + ahead) : 0;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String displayChar(char c) {
        return c < 0x20 || c > 0x7e ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private static TargetSyntaxException refuse(int position, String token, String headline, String reason) {
        return new TargetSyntaxException(headline, position, token, reason);
    }
}
