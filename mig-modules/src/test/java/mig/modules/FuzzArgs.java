package mig.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mig.testkit.fuzz.Fuzz;

/** Mutations of a module's command-line arguments, for the modules' fuzz tests. */
public final class FuzzArgs {

    private static final List<String> FLAGS = List.of(
            "-path",
            "-name",
            "-content",
            "-size",
            "-mode",
            "-mtime",
            "-md5",
            "-sha1",
            "-sha2",
            "-sha3",
            "-matchany",
            "-matchall",
            "-macroal",
            "-mismatch",
            "-matchlimit",
            "-maxdepth",
            "-maxerrors",
            "-verbose",
            "-decompress",
            "-returnsha256",
            "-lm",
            "-nm",
            "-li",
            "-ni",
            "-ci",
            "-lp",
            "-namespaces",
            "-lib",
            "-bytes",
            "-offset",
            "-maxlength",
            "-logfailures",
            "-help",
            "help",
            "-h",
            "--",
            "-",
            "--name",
            "-name=",
            "-lp=",
            "-offset=-1",
            "-maxlength=99999999999999999999",
            "-size=<",
            "-mtime=>9999999999999999999d",
            "-matchlimit=-1",
            "-maxdepth=1e9",
            "-bytes=zz",
            "-ni=::ffff:1.2.3.4/129");

    private FuzzArgs() {}

    /** One to four edits of an argument list: values mutated, flags inserted, dropped or swapped. */
    public static List<String> mutate(List<String> sample, Random r) {
        List<String> a = new ArrayList<>(sample);
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits; k++) {
            int at = a.isEmpty() ? 0 : r.nextInt(a.size());
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    if (!a.isEmpty()) {
                        a.set(at, Fuzz.mutate(a.get(at), r));
                    }
                }
                case 2 -> a.add(Math.min(at + r.nextInt(2), a.size()), FLAGS.get(r.nextInt(FLAGS.size())));
                case 3 -> {
                    if (!a.isEmpty()) {
                        a.remove(at);
                    }
                }
                case 4 -> a.add(Math.min(at + 1, a.size()), Fuzz.randomText(r, 40));
                default -> {
                    if (a.size() > 1) {
                        String x = a.get(at);
                        int other = r.nextInt(a.size());
                        a.set(at, a.get(other));
                        a.set(other, x);
                    }
                }
            }
        }
        return a;
    }
}
