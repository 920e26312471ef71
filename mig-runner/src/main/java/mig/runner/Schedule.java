package mig.runner;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An entity's {@code schedule}, read as the original's cron library (gorhill/cronexpr) reads it:
 * five fields (minute hour day-of-month month day-of-week), six (the same and a year) or seven
 * (a second first, then those six); a missing second is 0 and a missing year any year; and the
 * nicknames {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}. cron-utils does the
 * parsing and the arithmetic; this class only maps the original's field counts onto one seven-field
 * definition.
 */
public final class Schedule {
    private static final CronDefinition SEVEN_FIELDS = CronDefinitionBuilder.defineCron()
            .withSeconds()
            .and()
            .withMinutes()
            .and()
            .withHours()
            .and()
            .withDayOfMonth()
            .supportsL()
            .supportsW()
            .supportsLW()
            .supportsQuestionMark()
            .and()
            .withMonth()
            .and()
            .withDayOfWeek()
            .withValidRange(0, 7)
            .withMondayDoWValue(1)
            .withIntMapping(7, 0)
            .supportsL()
            .supportsHash()
            .supportsQuestionMark()
            .and()
            .withYear()
            .withValidRange(1970, 2099)
            .and()
            .instance();

    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 0 1 1 * *",
            "@annually", "0 0 0 1 1 * *",
            "@monthly", "0 0 0 1 * * *",
            "@weekly", "0 0 0 * * 0 *",
            "@daily", "0 0 0 * * * *",
            "@midnight", "0 0 0 * * * *",
            "@hourly", "0 0 * * * * *");

    private final String text;
    private final ExecutionTime times;

    private Schedule(String text, ExecutionTime times) {
        this.text = text;
        this.times = times;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the expression
     */
    public static Schedule parse(String expression) {
        String text = expression == null ? "" : expression.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing schedule");
        }
        String seven = NICKNAMES.get(text.toLowerCase(Locale.ROOT));
        if (seven == null) {
            String[] fields = text.split("\\s+");
            seven = switch (fields.length) {
                case 5 -> "0 " + text + " *";
                case 6 -> "0 " + text;
                case 7 -> text;
                default ->
                    throw new IllegalArgumentException("bad cron expression '" + text + "': it has "
                            + fields.length + " fields, expected 5 (minute hour day month weekday), 6 (and a year)"
                            + " or 7 (a second first)");
            };
        }
        Cron cron;
        try {
            cron = new CronParser(SEVEN_FIELDS).parse(seven).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad cron expression '" + text + "': " + e.getMessage(), e);
        }
        return new Schedule(text, ExecutionTime.forCron(cron));
    }

    /** The first time strictly after {@code now}, if there is one (a past year has none). */
    public Optional<ZonedDateTime> next(ZonedDateTime now) {
        return times.nextExecution(now);
    }

    @Override
    public String toString() {
        return text;
    }
}
