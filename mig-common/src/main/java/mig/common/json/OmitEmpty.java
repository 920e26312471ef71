package mig.common.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Go's {@code ,omitempty} on a record component: the field is left out when it is {@code false},
 * zero, {@code null}, or an empty string, list or map. As in Go, records and times are never
 * considered empty, so a {@code Description} or a zero time is always written.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface OmitEmpty {}
