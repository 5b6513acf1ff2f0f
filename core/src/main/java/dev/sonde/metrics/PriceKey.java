package dev.sonde.metrics;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model priced on a cloud platform: the parsed form of a price key
 * {@code {provider}/{region or -}/{id}} (issue 22's contract, e.g.
 * {@code bedrock/us-east-1/us.anthropic.claude-sonnet-4-5-20250929-v1:0},
 * {@code vertex/global/claude-sonnet-4-5@20250929}, {@code foundry/-/claude-sonnet-4-5}). The one
 * reader of that shape: the pricing table prices by it and reports name the platform from it.
 *
 * @param platform one of {@link #PLATFORMS}
 * @param region the region segment; null when it is {@code -}
 * @param id the platform's model id as written (it may itself contain {@code /}, e.g. an ARN)
 */
public record PriceKey(String platform, String region, String id) {
    /** The providers whose models are keyed by platform; any other key is a plain model id. */
    public static final Set<String> PLATFORMS = Set.of("bedrock", "claude-platform-aws", "vertex", "foundry");

    private static final Pattern VERTEX_DATE = Pattern.compile("@(\\d{8})$");

    /**
     * The platform key {@code key} spells, or empty for a plain model id (no known platform as its
     * first segment) and for a platform key without all three segments.
     */
    public static Optional<PriceKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        String[] parts = key.split("/", 3);
        if (parts.length < 3 || !PLATFORMS.contains(parts[0]) || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PriceKey(parts[0], "-".equals(parts[1]) ? null : parts[1], parts[2]));
    }

    /**
     * The Anthropic model id this platform id runs as, for the pricing table: Bedrock's is
     * {@link BedrockIds#anthropicId} (an ARN's id without its geography prefix, {@code anthropic.}
     * and the {@code -vN[:M]} version); Vertex turns
     * {@code @YYYYMMDD} into {@code -YYYYMMDD}; the others are Anthropic ids already.
     */
    public String anthropicId() {
        return switch (platform) {
            case "bedrock" -> BedrockIds.anthropicId(id);
            case "vertex" -> {
                Matcher m = VERTEX_DATE.matcher(id);
                yield m.find() ? id.substring(0, m.start()) + "-" + m.group(1) : id;
            }
            default -> id;
        };
    }

    /**
     * Whether requests go to the platform's global endpoint (dynamic routing, no regional
     * premium): a Bedrock {@code global.} inference profile, Vertex region {@code global}. Foundry
     * and Claude Platform on AWS have no such split in their keys: false.
     */
    public boolean globalEndpoint() {
        return switch (platform) {
            case "bedrock" -> BedrockIds.global(id);
            case "vertex" -> "global".equals(region);
            default -> false;
        };
    }

    /** How reports name where the model ran: {@code bedrock · us-east-1}, or {@code foundry} without a region. */
    public String label() {
        return label(platform, region);
    }

    /** {@code provider · region}, the provider alone without a region, or null without a provider. */
    public static String label(String provider, String region) {
        if (provider == null) {
            return null;
        }
        return region == null ? provider : provider + " · " + region;
    }
}
