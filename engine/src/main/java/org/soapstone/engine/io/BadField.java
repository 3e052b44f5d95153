package org.soapstone.engine.io;

/**
 * A bad field found by a parser that does not know the file or line; {@link ExtXyzReader} turns it into an
 * {@link ExtXyzFormatException} naming both.
 */
final class BadField extends RuntimeException {
    private final String field;
    private final String detail;

    BadField(String field, String detail) {
        super(field + ": " + detail, null, false, false);
        this.field = field;
        this.detail = detail;
    }

    String field() {
        return field;
    }

    String detail() {
        return detail;
    }
}
