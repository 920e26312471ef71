package mig.client.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code -urlencode} escapes as Go's url.QueryEscape does, which a form post of the action expects. */
class QueryEscapeTest {
    @Test
    void escapesLikeGo() {
        assertEquals("%7B%22name%22%3A+%22a%2Ab~c%22%7D", ActionGeneratorMain.queryEscape("{\"name\": \"a*b~c\"}"));
        assertEquals("%C3%A9t%C3%A9", ActionGeneratorMain.queryEscape("été"));
    }
}
