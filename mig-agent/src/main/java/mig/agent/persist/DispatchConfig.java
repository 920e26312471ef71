package mig.agent.persist;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The dispatch module's configuration, the original's {@code dispatch.cfg}: {@code [dispatch]
 * httpurl, snstopic, outputmozdef, channelsize}. {@code channelsize} (default 1024, as the original)
 * bounds the alerts waiting to be sent; here they wait on disk, so they survive a restart of the
 * agent and a long outage of the endpoint. SNS is not supported: a non-empty {@code snstopic} is
 * refused.
 */
public record DispatchConfig(URI httpUrl, boolean outputMozdef, int channelSize) {

    private static final Map<String, Set<String>> KNOWN =
            Map.of("dispatch", Set.of("httpurl", "snstopic", "outputmozdef", "channelsize"));

    /** @throws ConfigException naming the file and the bad value */
    public static DispatchConfig parse(String text, String source) {
        IniConfig ini = IniConfig.parse(text, source).requireKnown(KNOWN);
        if (!ini.getString("dispatch", "snstopic", "").isBlank()) {
            throw new ConfigException(source + ": [dispatch] snstopic: SNS is not supported by this agent;"
                    + " use httpurl (an HTTP or HTTPS endpoint that takes a JSON POST)");
        }
        String url = ini.getString("dispatch", "httpurl", "").strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(
                    source + ": [dispatch] httpurl = \"" + url + "\" is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigException(
                    source + ": [dispatch] httpurl must be an http:// or https:// URL, got \"" + url + "\"");
        }
        long size = ini.getLong("dispatch", "channelsize").orElse(0L);
        if (size == 0) {
            size = 1024;
        }
        if (size < 1 || size > 1_000_000) {
            throw new ConfigException(
                    source + ": [dispatch] channelsize must be from 1 to 1000000 (0: 1024), got " + size);
        }
        return new DispatchConfig(uri, ini.getBool("dispatch", "outputmozdef").orElse(false), (int) size);
    }
}
