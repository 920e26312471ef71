package mig.modules;

import java.util.List;
import mig.common.ModuleResult;

/** A module that can print its results as the original's human lines (client and {@code mig-agent -p}). */
public interface HasResultsPrinter {

    /**
     * The lines for one result, without the agent-name prefix the client adds.
     *
     * @param foundOnly true for {@code -show found}: print findings only, no statistics or
     *                  "nothing found" lines
     */
    List<String> printResults(ModuleResult result, boolean foundOnly);
}
