package dev.sonde.api;

import dev.sonde.suite.ModelSpec;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a key may be sent, and which environment variables may be read as keys. A suite file is
 * edited in pull requests, so it cannot decide either: a key goes only to a provider's official
 * API host over https, to a loopback address (the emulator, a local gateway), to the endpoint
 * given on the command line, or to a host the person running Sonde allows with
 * {@code --allow-endpoint} or {@value #ENDPOINTS_ENV} (a bare host is https only). A variable named by
 * {@code api_key_env} must
 * end in {@code _API_KEY} or be allowed with {@code --allow-key-env} or {@value #KEY_ENVS_ENV}, so a
 * suite cannot read {@code GITHUB_TOKEN} or a cloud credential as a "key" (a platform's own bearer
 * variable, such as {@code AWS_BEARER_TOKEN_BEDROCK}, is a key of that platform; its SigV4 keys,
 * ADC file and tokens never are). Keys of a platform go to its official hosts ({@link PlatformHosts}).
 * Immutable.
 *
 * <p>Hosts are compared as written, never resolved: a name that resolves to a loopback address is
 * not loopback here, so DNS cannot widen what is allowed.
 */
public final class EndpointPolicy {
    /** Hosts (and their ports) the person running Sonde allows keys to go to; comma or space separated. */
    public static final String ENDPOINTS_ENV = "SONDE_ALLOWED_ENDPOINTS";
    /** Variables beyond {@code *_API_KEY} that suites may name as {@code api_key_env}; comma or space separated. */
    public static final String KEY_ENVS_ENV = "SONDE_ALLOWED_KEY_ENVS";
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One allowed destination: a host (or every subdomain of one) with a scheme and, when given, a
     * port. A bare host is https only, so an allowance never lets a key travel in clear text by
     * accident; plain http needs an explicit {@code http://host:port} origin.
     */
    private record Allowed(String scheme, String host, int port, boolean subdomains) {
        boolean matches(URI uri) {
            String h = EndpointPolicy.host(uri);
            boolean hostOk = subdomains ? h.endsWith("." + host) : h.equals(host);
            return hostOk && (scheme == null || scheme.equalsIgnoreCase(uri.getScheme()))
                    && (port == -1 || port == EndpointPolicy.port(uri));
        }
    }

    private final List<Allowed> allowed;
    private final Set<String> keyEnvs;

    private EndpointPolicy(List<Allowed> allowed, Set<String> keyEnvs) {
        this.allowed = List.copyOf(allowed);
        this.keyEnvs = Set.copyOf(keyEnvs);
    }

    /**
     * The policy of one command.
     *
     * @param allowEndpoints {@code --allow-endpoint} values (each may list several)
     * @param allowKeyEnvs {@code --allow-key-env} values
     * @param env the process environment ({@value #ENDPOINTS_ENV}, {@value #KEY_ENVS_ENV}); never a file
     *     a pull request can edit
     * @throws IllegalArgumentException naming the bad entry and where it came from
     */
    public static EndpointPolicy of(List<String> allowEndpoints, List<String> allowKeyEnvs, Map<String, String> env) {
        List<Allowed> allowed = new ArrayList<>();
        for (String flag : allowEndpoints) {
            parseEndpoints(flag, "--allow-endpoint", allowed);
        }
        parseEndpoints(env.getOrDefault(ENDPOINTS_ENV, ""), ENDPOINTS_ENV, allowed);
        Set<String> vars = new LinkedHashSet<>();
        for (String flag : allowKeyEnvs) {
            parseVars(flag, "--allow-key-env", vars);
        }
        parseVars(env.getOrDefault(KEY_ENVS_ENV, ""), KEY_ENVS_ENV, vars);
        return new EndpointPolicy(allowed, vars);
    }

    /** Nothing allowed beyond the official hosts and loopback. */
    public static EndpointPolicy strict() {
        return new EndpointPolicy(List.of(), Set.of());
    }

    /**
     * Why a key must not be sent to {@code endpoint} (a base URL that a file named), or null when
     * it may.
     *
     * @param provider a {@code models[].provider}: whose official hosts count ({@link PlatformHosts#official}; a
     *     platform's credentials are its keys)
     */
    public String refusal(URI endpoint, String provider) {
        if (isLoopback(endpoint)) {
            return null;
        }
        String official = PlatformHosts.described(provider);
        if (official != null && "https".equalsIgnoreCase(endpoint.getScheme())
                && PlatformHosts.official(host(endpoint), provider) && port(endpoint) == 443) {
            return null;
        }
        for (Allowed a : allowed) {
            if (a.matches(endpoint)) {
                return null;
            }
        }
        return "keys are sent only to " + (official == null ? "" : official + ", ")
                + "loopback addresses, the --endpoint given on the command line, or hosts allowed with "
                + "--allow-endpoint or " + ENDPOINTS_ENV + " (a suite file cannot allow a host): refused before "
                + "anything was sent";
    }

    /**
     * The key variable each provider reads by default (a platform's bearer key: Bedrock's API key,
     * Claude Platform on AWS's, Foundry's); another provider may not send it unless allowed. Vertex AI
     * reads no key. The one list: the session and the AWS auth read it through {@link #defaultKeyVariable}.
     */
    private static final Map<String, String> DEFAULT_KEY = Map.of(ModelSpec.ANTHROPIC, ApiKey.ENV,
            ModelSpec.OPENAI_CHAT, "OPENAI_API_KEY", ModelSpec.BEDROCK, "AWS_BEARER_TOKEN_BEDROCK",
            ModelSpec.CLAUDE_PLATFORM_AWS, "ANTHROPIC_AWS_API_KEY", ModelSpec.FOUNDRY, "ANTHROPIC_FOUNDRY_API_KEY");

    /** The environment variable {@code provider}'s key is read from by default; null for Vertex AI (no key). */
    public static String defaultKeyVariable(String provider) {
        return DEFAULT_KEY.get(provider);
    }

    /**
     * Cloud credentials the platforms' own credential chains read (SigV4 keys, Google's ADC file, an
     * Azure secret, Foundry's token and token command): never a key a suite may name, unless allowed.
     */
    private static final Set<String> CLOUD_SECRETS = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN", "AZURE_CLIENT_SECRET",
            "AZURE_CLIENT_CERTIFICATE_PASSWORD", "ANTHROPIC_FOUNDRY_AUTH_TOKEN", "SONDE_FOUNDRY_TOKEN_COMMAND");

    /** Why {@code name} must not be read as a key, or null when it may. */
    public String keyEnvRefusal(String name) {
        if (keyEnvs.contains(name)) {
            return null;
        }
        if (CLOUD_SECRETS.contains(name)) {
            return name + " is a cloud credential, read by the platform's own credential chain, never as a key a suite "
                    + "names: remove api_key_env, unless the person running Sonde allows it with --allow-key-env " + name
                    + " or " + KEY_ENVS_ENV;
        }
        if (name.endsWith("_API_KEY") || DEFAULT_KEY.containsValue(name)) {
            return null;
        }
        return name + " is not an API key variable: a suite may name only variables ending in _API_KEY, "
                + "unless the person running Sonde allows it with --allow-key-env " + name + " or " + KEY_ENVS_ENV;
    }

    /**
     * Why a model of {@code provider} must not send the key in {@code name}, or null when it may: a
     * provider's default variable belongs to that provider (a suite cannot send
     * {@code ANTHROPIC_API_KEY} to {@code api.openai.com} by naming it for an {@code openai-chat}
     * model), unless the person running Sonde allows the variable with {@code --allow-key-env}.
     */
    public String keyProviderRefusal(String name, String provider) {
        for (Map.Entry<String, String> e : DEFAULT_KEY.entrySet()) {
            if (e.getValue().equals(name) && !e.getKey().equals(provider) && !keyEnvs.contains(name)) {
                return name + " is " + e.getKey() + "'s key and this model is " + provider + ": a suite cannot send one "
                        + "provider's key to another, unless the person running Sonde allows it with --allow-key-env "
                        + name + " or " + KEY_ENVS_ENV;
            }
        }
        return null;
    }

    /** Whether {@code uri}'s host is a loopback address as written: {@code localhost}, 127.0.0.0/8 or ::1. */
    public static boolean isLoopback(URI uri) {
        String host = host(uri);
        if (host.equals("localhost")) {
            return true;
        }
        java.util.regex.Matcher v4 = IPV4.matcher(host);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return v4.group(1).equals("127");
        }
        if (!host.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress(); // with a colon: an IPv6 literal, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String host(URI uri) {
        String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static void parseEndpoints(String list, String source, List<Allowed> into) {
        for (String entry : list.split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            Allowed a = entry.contains("://") ? origin(entry) : hostAndPort(entry);
            if (a == null) {
                throw new IllegalArgumentException(source + ": '" + entry + "' is neither a host (api.example.com, "
                        + "*.example.com, host:port) nor an http(s) origin (https://api.example.com:8443)");
            }
            into.add(a);
        }
    }

    private static Allowed origin(String entry) {
        try {
            URI uri = new URI(entry);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
                return null;
            }
            return new Allowed(scheme, host(uri), port(uri), false);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Allowed hostAndPort(String entry) {
        String host = entry;
        int port = -1;
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && entry.indexOf(':') == colon) {
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (port < 1 || port > 65535) {
                return null;
            }
            host = entry.substring(0, colon);
        }
        if (!HOST.matcher(host).matches()) {
            return null;
        }
        boolean subdomains = host.startsWith("*.");
        return new Allowed("https", (subdomains ? host.substring(2) : host).toLowerCase(Locale.ROOT), port, subdomains);
    }

    private static void parseVars(String list, String source, Set<String> into) {
        for (String entry : list.split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (!VAR.matcher(entry).matches()) {
                throw new IllegalArgumentException(source + ": '" + entry + "' is not an environment variable name");
            }
            into.add(entry);
        }
    }
}
