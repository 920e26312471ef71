package mig.api.http;

import java.util.List;

/**
 * One line of the route table ({@code mig.api.Routes}): method, path below the base route, who may call it,
 * the query parameters it takes (anything else is refused with 400), and the endpoint.
 */
public record Route(String method, String path, Access access, List<String> queryParameters, Endpoint endpoint) {

    public Route {
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("MIG routes are GET or POST, not " + method);
        }
        queryParameters = List.copyOf(queryParameters);
    }

    public static Route get(String path, Access access, List<String> params, Endpoint endpoint) {
        return new Route("GET", path, access, params, endpoint);
    }

    public static Route post(String path, Access access, Endpoint endpoint) {
        return new Route("POST", path, access, List.of(), endpoint);
    }
}
