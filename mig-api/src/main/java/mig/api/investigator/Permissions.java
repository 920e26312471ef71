package mig.api.investigator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mig.api.http.ApiException;
import mig.api.http.Text;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;

/**
 * The {@code permissions} form field of investigator creation and update: a JSON object of
 * permission names to booleans, as the original client sends its {@code InvestigatorPerms}. Names
 * match case-insensitively (as Go's decoder); unknown names and non-boolean values are refused
 * instead of ignored, so a typo cannot silently drop a permission.
 */
final class Permissions {
    private Permissions() {}

    static Set<Permission> parse(String json) {
        JsonNode tree;
        try {
            tree = GoJson.tree(json);
        } catch (GoJsonException e) {
            throw ApiException.badRequest("permissions is not valid JSON: " + e.getMessage());
        }
        if (!tree.isObject()) {
            throw ApiException.badRequest("permissions must be a JSON object such as {\"search\":true,\"action\":true},"
                    + " got " + Text.shorten(json));
        }
        Set<Permission> granted = EnumSet.noneOf(Permission.class);
        for (Map.Entry<String, JsonNode> f : tree.properties()) {
            Permission p;
            try {
                p = Permission.byJsonName(f.getKey());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown permission '" + Text.shorten(f.getKey()) + "'; known: "
                        + Arrays.stream(Permission.values())
                                .map(Permission::jsonName)
                                .collect(Collectors.joining(", ")));
            }
            if (!f.getValue().isBoolean()) {
                throw ApiException.badRequest("permission '" + p.jsonName() + "' must be true or false, got "
                        + Text.shorten(f.getValue().toString()));
            }
            if (f.getValue().booleanValue()) {
                granted.add(p);
            }
        }
        return granted;
    }
}
