package dev.sonde.api;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.Jackson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OAuth2 access tokens for Vertex AI from Google's Application Default Credentials, scoped to
 * {@value #SCOPE}. Before each request {@link #token()} asks google-auth to refresh when its own
 * margins say so (a token within 3m45s of expiry is refreshed in the background, one within 3 min
 * before it is used); google-auth serialises refreshes, so concurrent requests cause one token
 * request, not one each. A token the server answered 401 to is refreshed once, however many
 * requests it failed ({@link #rejected}). Every token handed out is kept (bounded, {@link IssuedSecrets}) and masked
 * from every exchange, with the ADC file's client secret and refresh token. Never shows a value:
 * not in {@link #toString()}, not in a message. Thread-safe.
 */
public final class VertexAuth {
    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    /** The variable naming the ADC file. */
    public static final String ENV = "GOOGLE_APPLICATION_CREDENTIALS";
    /** The largest ADC file read (a service-account JSON is about 2.5 KB). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final GoogleCredentials credentials;
    private final String source;
    private final IssuedSecrets issued = new IssuedSecrets();
    /** The token {@link #token} last handed out, checked and kept. */
    private volatile ApiKey lastToken;
    /** A token the server answered 401 to, until the next {@link #token} refreshes past it. */
    private final AtomicReference<ApiKey> refused = new AtomicReference<>();

    private VertexAuth(GoogleCredentials credentials, String source) {
        this.credentials = credentials.createScoped(List.of(SCOPE));
        this.source = source;
        if (credentials instanceof UserCredentials user) {
            keep(user.getClientSecret());
            keep(user.getRefreshToken());
        }
    }

    /** Auth from credentials already made (scoped here to {@value #SCOPE} when they take scopes). */
    public static VertexAuth of(GoogleCredentials credentials) {
        return new VertexAuth(credentials, "Google credentials (" + kind(credentials) + ")");
    }

    /**
     * The ADC of {@code env}: the file {@value #ENV} names (read bounded to 1 MB), else google-auth's
     * own search (the gcloud CLI's file, then the metadata server of a Google Cloud machine).
     *
     * @param modelId the suite's model id, for the message
     * @param fileFromDotEnv whether {@value #ENV} came from a {@code .env} file rather than the
     *     process environment: then it may name only a {@code service_account} or {@code
     *     authorized_user} file, because those two send only the file's own contents (a signed
     *     assertion, a refresh token and client) to the file's token endpoint, while the other types
     *     google-auth reads ({@code external_account}, {@code impersonated_service_account}, …) read
     *     local files or URLs, or run programs, the file names and send what they get
     * @throws MissingCredentials one line naming what to set, never a value
     */
    public static VertexAuth fromEnvironment(String modelId, Map<String, String> env, boolean fileFromDotEnv)
            throws MissingCredentials {
        return fromEnvironment(modelId, env, fileFromDotEnv, GoogleCredentials::getApplicationDefault);
    }

    /** As {@link #fromEnvironment(String, Map, boolean)} with {@value #ENV} from the process environment. */
    static VertexAuth fromEnvironment(String modelId, Map<String, String> env, Callable<GoogleCredentials> search)
            throws MissingCredentials {
        return fromEnvironment(modelId, env, false, search);
    }

    /** As {@link #fromEnvironment(String, Map, boolean)}, with google-auth's search replaced (tests). */
    static VertexAuth fromEnvironment(String modelId, Map<String, String> env, boolean fileFromDotEnv,
            Callable<GoogleCredentials> search) throws MissingCredentials {
        String who = "vertex (model " + modelId + "): ";
        String file = env.get(ENV);
        if (file != null && !file.isBlank()) {
            byte[] json;
            try {
                json = BoundedFiles.read(Path.of(file.strip()), MAX_FILE_BYTES);
            } catch (NoSuchFileException | InvalidPathException e) {
                throw new MissingCredentials(who + ENV + " names " + file.strip() + ", which does not exist");
            } catch (IOException e) {
                throw new MissingCredentials(who + ENV + " cannot be read: " + firstLine(e.getMessage()));
            }
            if (fileFromDotEnv) {
                String type = fileType(json);
                if (!type.equals("service_account") && !type.equals("authorized_user")) {
                    throw new MissingCredentials(who + ENV + " from .env names a file of type " + type + ": from .env "
                            + "only service_account or authorized_user files are read (other types read files or URLs, "
                            + "or run programs, the file names and send what they get); set " + ENV + " in the environment to use it");
                }
            }
            try {
                GoogleCredentials read = GoogleCredentials.fromStream(new ByteArrayInputStream(json));
                return new VertexAuth(read, ENV + " " + kind(read));
            } catch (IOException | RuntimeException e) {
                throw new MissingCredentials(who + ENV + " (" + file.strip() + ") is not credentials google-auth reads ("
                        + firstLine(e.getMessage()) + "): use a service-account or authorized-user JSON");
            }
        }
        try {
            GoogleCredentials found = search.call();
            return new VertexAuth(found, found instanceof ComputeEngineCredentials ? "the metadata server ("
                    + kind(found) + ")" : "gcloud ADC (" + kind(found) + ")");
        } catch (Exception e) {
            throw new MissingCredentials(who + "no Google credentials: set " + ENV + " to a service-account or "
                    + "authorized-user JSON, or run `gcloud auth application-default login`");
        }
    }

    /**
     * The {@code type} of an ADC file, for a message: the value when it is a plain name (lower-case
     * letters, digits, {@code _}, at most 40), else {@code (none)} or {@code (not a plain name)};
     * never anything else of the file.
     */
    static String fileType(byte[] json) {
        JsonNode type;
        try {
            type = Jackson.plain().readTree(json).path("type");
        } catch (IOException | RuntimeException e) {
            return "(not JSON)";
        }
        if (!type.isTextual()) {
            return "(none)";
        }
        String t = type.asText();
        return t.matches("[a-z0-9_]{1,40}") ? t : "(not a plain name)";
    }

    /**
     * Fetches a token now, at set-up, so a refused login (a revoked refresh token, a deleted service
     * account key) is found before anything is sent rather than after other models were billed.
     *
     * @param modelId the suite's model id, for the message
     * @throws MissingCredentials one line: the OAuth error, masked, never a value
     */
    public void check(String modelId, SecretMask mask) throws MissingCredentials {
        try {
            token(mask);
        } catch (MissingCredentials e) {
            throw new MissingCredentials("vertex (model " + modelId + "): " + e.getMessage().replaceFirst("^vertex: ", ""));
        }
    }

    /** What the credentials are, with no secret: a service account's e-mail, or the kind. */
    private static String kind(GoogleCredentials c) {
        return switch (c) {
            case ServiceAccountCredentials sa -> "service account " + sa.getClientEmail();
            case UserCredentials u -> "authorized user";
            case ComputeEngineCredentials ce -> "Compute Engine";
            default -> c.getClass().getSimpleName();
        };
    }

    /**
     * Where the credentials came from, for the live banner, with no secret:
     * {@code GOOGLE_APPLICATION_CREDENTIALS service account x@y}, {@code gcloud ADC (authorized user)}.
     */
    public String source() {
        return source;
    }

    /**
     * The bearer token for one request, refreshed first when google-auth's margins say so, or when
     * the server refused the current one ({@link #rejected}).
     *
     * @param mask the run's secrets, removed from a failure's message before it is cut to a line
     * @throws MissingCredentials when no token could be had (the token endpoint refused or was
     *     unreachable): one line, masked of every secret known here and in {@code mask}
     */
    ApiKey token(SecretMask mask) throws MissingCredentials {
        AccessToken token;
        try {
            ApiKey stale = refused.get();
            if (stale != null) {
                synchronized (this) { // one forced refresh, however many requests the token failed
                    AccessToken now = credentials.getAccessToken();
                    if (refused.get() == stale && (now == null || stale.reveal().equals(now.getTokenValue()))) {
                        credentials.refresh();
                    }
                    refused.compareAndSet(stale, null);
                }
            }
            credentials.refreshIfExpired();
            token = credentials.getAccessToken();
        } catch (IOException | RuntimeException e) {
            throw new MissingCredentials("vertex: no access token: " + refusal(issued.maskOver(mask), e));
        }
        if (token == null || token.getTokenValue() == null || token.getTokenValue().isBlank()) {
            throw new MissingCredentials("vertex: no access token: the token endpoint gave none");
        }
        ApiKey last = lastToken;
        if (last != null && last.reveal().equals(token.getTokenValue())) {
            return last; // checked and kept already
        }
        ApiKey key;
        try {
            key = ApiKey.of(token.getTokenValue());
        } catch (IllegalArgumentException e) {
            throw new MissingCredentials("vertex: the token endpoint's access token cannot be sent: " + e.getMessage());
        }
        issued.add(key);
        lastToken = key;
        return key;
    }

    /**
     * Says the server answered 401 to {@code used}: the next {@link #token} refreshes first, unless
     * a newer token was had meanwhile. Always true: google-auth's credentials can always ask again.
     */
    boolean rejected(ApiKey used) {
        refused.set(used);
        return true;
    }

    /** Every secret this auth has handed out or holds, oldest first (for the run's mask). */
    public List<ApiKey> secrets() {
        return issued.list();
    }

    /**
     * A live mask of {@code base} and every secret this auth holds or will hold: a credential it
     * has later (a refreshed token or identity) joins the mask when it is had.
     */
    public SecretMask maskOver(SecretMask base) {
        return issued.maskOver(base);
    }

    IssuedSecrets issued() {
        return issued;
    }

    private void keep(String secret) {
        if (secret != null && !secret.isBlank()) {
            try {
                issued.add(ApiKey.of(secret));
            } catch (IllegalArgumentException e) {
                // a value no header can carry is never sent, so never echoed
            }
        }
    }

    private static final Pattern OAUTH_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,200})\"");
    private static final Pattern OAUTH_DESCRIPTION =
            Pattern.compile("\"error_description\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){0,300})\"");

    /**
     * Why the token endpoint gave no token, one line: the whole message masked first (a secret a
     * cut splits would no longer be found), then the OAuth answer's {@code error} and {@code
     * error_description} (google-auth puts the answer's body on a later line, after {@code 400 Bad
     * Request}), else the first line; for an authorized user (gcloud's login) what to run.
     */
    private String refusal(SecretMask mask, Exception e) {
        String all = mask.mask(String.valueOf(e.getMessage()));
        Matcher error = OAUTH_ERROR.matcher(all);
        String why;
        if (error.find()) {
            Matcher description = OAUTH_DESCRIPTION.matcher(all);
            String d = description.find() ? description.group(1) : "";
            why = firstLine(oneLine(error.group(1)) + (d.isBlank() ? "" : ": " + oneLine(d)));
        } else {
            why = firstLine(all);
        }
        return credentials instanceof UserCredentials
                ? why + "; run `gcloud auth application-default login`" : why;
    }

    /** A JSON string's text as one plain line: escapes shown as a space, control characters dropped. */
    private static String oneLine(String escaped) {
        return escaped.replaceAll("\\\\.", " ").replaceAll("\\p{Cntrl}", "").strip();
    }

    /** The first line of {@code text}, at most 200 characters. */
    static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "no detail";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    @Override
    public String toString() {
        return "VertexAuth[" + credentials.getClass().getSimpleName() + ", " + SCOPE + "]";
    }
}
