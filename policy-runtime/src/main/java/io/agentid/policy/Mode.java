package io.agentid.policy;

/** Whether a deny decision stops the call ({@link #ENFORCE}) or is only recorded ({@link #MONITOR}). */
public enum Mode {
    ENFORCE,
    MONITOR;

    /** The lower-case name used in policy files and span attributes. */
    public String label() {
        return this == ENFORCE ? "enforce" : "monitor";
    }
}
