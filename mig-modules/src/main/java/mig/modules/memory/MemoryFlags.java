package mig.modules.memory;

import java.util.List;
import java.util.Map;
import mig.modules.GoFlags;
import mig.modules.ParameterException;

/**
 * The {@code mig memory} command-line flags and help: {@code -name -lib -bytes -content}
 * (repeatable), {@code -matchall} (on by default) / {@code -matchany}, {@code -logfailures},
 * {@code -offset}, {@code -maxlength}. The command line makes one search labelled {@code s1}.
 *
 * <p>The original's help advertised {@code -offset} and {@code -maxlength} but its parser bound
 * those values to flags named {@code -maxdepth} and {@code -matchlimit} (copied from the file
 * module), so the advertised flags were refused. Here {@code -offset} and {@code -maxlength} work
 * and the misnamed ones are refused with a pointer to them; the JSON names are unchanged.
 */
final class MemoryFlags {

    /** The original's help with {@code isCmd} set; its example {@code -byte} corrected to {@code -bytes}. */
    static final String HELP = """
            Search parameters
            -----------------
            -name <regex>	- regex to match against the name of a process
            		  ex: -name ^postgresql$

            -lib <regex>	- regex to match processes that are linked to a given library
            		  ex: -lib libssl.so.1.0.0

            -content <regex> - regex to match against the memory of a process.
            		  note that regexes match utf-8 character sets, and some processes
            		  may use utf-16 or some other encoding internally
            		  ex: -content "http://mig\\.mozilla\\.org"

            -bytes <hex>	- match an hex byte string against the memory of a process
            		  ex: -bytes "6d69672e6d6f7a696c6c612e6f7267"
            		             (mig.mozilla.org)
            Options
            -------
            -matchall	- all search parameters must match on a given process for it to
            		  return as a match. on by default.
            		  ex: -matchall
            -matchany	- any search parameter must match on a given process for it to
            		  return as a match. off by default.
            		  ex: -matchany
            -logfailures	- return any failure encountered during scanning. There is usually
            		  a fair amount of them due to memory regions that cannot be read.
            		  ex: -logfailures
            -offset <int>	- provide a memory offset to start the scan at
            -maxlength <int> - indicates if a search should stop after reading <int> bytes
            		    from a process
            detailed doc in docs/modules/memory.md of MIG for Java (the folder bin/mig runs from)
            """;

    private MemoryFlags() {}

    /**
     * The parameters for {@code args}, validated.
     *
     * @throws ParameterException for an unknown flag, a missing or bad value; with the help text as
     *         message when {@code args} is empty, {@code help}, {@code -h} or {@code -help}
     */
    static MemoryParameters parse(List<String> args) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            throw new ParameterException(HELP);
        }
        GoFlags f = new GoFlags(HELP)
                .repeatable("name")
                .repeatable("lib")
                .repeatable("bytes")
                .repeatable("content")
                .number("offset")
                .number("maxlength")
                .bool("matchall", true)
                .bool("matchany", false)
                .bool("logfailures", false)
                .refuse("maxdepth", "the memory module's start address is -offset <int>")
                .refuse("matchlimit", "the memory module's read limit is -maxlength <int>")
                .parse(args);
        boolean matchAll = f.boolOf("matchall") && !f.boolOf("matchany");
        MemoryOptions options =
                new MemoryOptions(f.numberOf("offset"), f.numberOf("maxlength"), f.boolOf("logfailures"), matchAll);
        MemorySearch s1 = new MemorySearch(
                null, f.valuesOf("name"), f.valuesOf("lib"), f.valuesOf("bytes"), f.valuesOf("content"), options);
        MemoryParameters p = new MemoryParameters(Map.of("s1", s1));
        CompiledSearch.compileAll(p);
        return p;
    }
}
