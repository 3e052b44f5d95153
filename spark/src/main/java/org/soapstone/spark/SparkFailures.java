package org.soapstone.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's one line out of a failed Spark job: the message of the task's own exception (bad data names file, line
 * and field; a small executor says how much memory it needs), not the job's stack of wrappers.
 */
final class SparkFailures {
    /** A task's exception as Spark quotes it in a job's failure message. */
    private static final Pattern QUOTED = Pattern.compile(
            "(?:org\\.soapstone\\.[\\w.$]+|java\\.lang\\.Illegal\\w+Exception|java\\.io\\.\\w+Exception"
            + "|java\\.io\\.UncheckedIOException|java\\.lang\\.OutOfMemoryError): ([^\\n]*)");

    private SparkFailures() {
    }

    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("org.soapstone.") && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = QUOTED.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        Throwable t = failure;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
    }
}
