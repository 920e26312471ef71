package mig.modules;

import mig.common.ModuleResult;

/** A module that can mask sensitive parts of its result when the agent runs in extra privacy mode. */
public interface HasEnhancedPrivacy {

    /** The result with file names, addresses or errors masked as the original does. */
    ModuleResult enhancePrivacy(ModuleResult result);
}
