package io.agentid.genai;

/**
 * A price file that cannot be used. The message reads {@code <file>:<line>:<column>: <problem>}, lines and columns
 * counted from 1 (no position when the problem has none, such as an unreadable file).
 */
public final class PriceTableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public PriceTableException(String file, int line, int column, String problem) {
        super(line > 0 ? file + ":" + line + ":" + column + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
