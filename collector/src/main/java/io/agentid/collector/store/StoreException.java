package io.agentid.collector.store;

/** The store could not do what was asked; the message says why (and names the data directory where it helps). */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
