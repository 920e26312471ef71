package mig.common.target;

import java.util.List;
import mig.common.target.Token.Kind;

/**
 * A read position over the token list, shared by {@link Parser} and {@link ResultChainParser},
 * with the expect-or-fail helpers that turn every surprise into a {@link TargetSyntaxException}
 * naming the token, its position and what was expected.
 */
final class TokenCursor {

    private final List<Token> tokens;
    private int index;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(index);
    }

    /** @return the token {@code ahead} places after the current one, or the END token */
    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    /** Consumes the current token; the END token is never consumed past. */
    Token next() {
        Token t = tokens.get(index);
        if (!t.is(Kind.END)) {
            index++;
        }
        return t;
    }

    boolean nextIfKeyword(String word) {
        if (peek().isKeyword(word)) {
            next();
            return true;
        }
        return false;
    }

    Token expectKeyword(String word, String why) {
        if (!peek().isKeyword(word)) {
            throw unexpected(peek(), why + "; expected " + word);
        }
        return next();
    }

    Token expectOperator(String symbol, String why) {
        if (!peek().isOperator(symbol)) {
            throw unexpected(peek(), why + "; expected '" + symbol + "'");
        }
        return next();
    }

    Token expect(Kind kind, String what, String why) {
        if (!peek().is(kind)) {
            throw unexpected(peek(), why + "; expected " + what);
        }
        return next();
    }

    /** {@code target: unexpected 'x' at position n: <reason>} (or "unexpected end of target"). */
    static TargetSyntaxException unexpected(Token t, String reason) {
        return error(t, "unexpected " + t.describe(), reason);
    }

    static TargetSyntaxException error(Token t, String headline, String reason) {
        return new TargetSyntaxException(headline, t.position(), t.raw(), reason);
    }
}
