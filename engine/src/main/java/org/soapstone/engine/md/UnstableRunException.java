package org.soapstone.engine.md;

/**
 * An MD run that cannot go on: at {@link #step()} the forces are not finite or two atoms overlap (the cause says
 * which atoms), or the run diverged ({@link DivergenceGuard}). The message starts with the step, e.g.
 * {@code step 37: atoms 5 and 9 (Si, Si) are 0.004 Å apart …}.
 */
public final class UnstableRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final String reason;

    /**
     * @param step the step at which the run failed
     * @param reason what went wrong, without the step
     * @param cause the underlying exception, or null
     */
    public UnstableRunException(long step, String reason, Throwable cause) {
        super("step " + step + ": " + reason, cause);
        this.step = step;
        this.reason = reason;
    }

    /** @param step the step at which {@code cause} was thrown */
    UnstableRunException(long step, RuntimeException cause) {
        this(step, cause.getMessage(), cause);
    }

    /** @return the step at which the run failed (counted from the start of the {@link MdSystem}) */
    public long step() {
        return step;
    }

    /** @return what went wrong, without the step */
    public String reason() {
        return reason;
    }

    /** @return the same failure with the step counted from {@code offset} (a resumed run's first step) */
    public UnstableRunException offsetBy(long offset) {
        return new UnstableRunException(step + offset, reason, getCause());
    }
}
