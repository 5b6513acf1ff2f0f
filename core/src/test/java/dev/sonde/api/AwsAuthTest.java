package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsAuthTest {
    private static final String LEAK = "leaked-profile-secret-0123456789";
    private static final AwsCredentialsProvider NOTHING = () -> {
        throw SdkClientException.create("Unable to load credentials from any of the providers in the chain: "
                + "profile default: aws_secret_access_key=" + LEAK);
    };

    private static String names(AwsAuth auth) {
        return auth.secrets().stream().map(k -> k.reveal()).toList().toString();
    }

    @Test
    void bedrock_api_key_comes_first_and_is_a_bearer() throws Exception {
        AwsAuth auth = AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_BEARER_TOKEN_BEDROCK", "ABSKc29uZGUtZW11bGF0b3I=",
                "AWS_ACCESS_KEY_ID", AwsStub.ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", AwsStub.SECRET), null, () -> NOTHING);

        assertThat(auth.isBearer()).isTrue();
        assertThat(names(auth)).isEqualTo("[ABSKc29uZGUtZW11bGF0b3I=]");
        assertThat(auth.toString()).doesNotContain("ABSK");
    }

    @Test
    void claude_platform_reads_its_own_key_and_api_key_env_replaces_the_name() throws Exception {
        assertThat(AwsAuth.fromEnvironment("claude-platform-aws", "cp", Map.of("ANTHROPIC_AWS_API_KEY", "cp-key-0123456789"),
                null, () -> NOTHING).isBearer()).isTrue();
        AwsAuth mine = AwsAuth.fromEnvironment("bedrock", "br", Map.of("MY_BR_KEY", "bedrock-api-key-0123456789",
                "AWS_BEARER_TOKEN_BEDROCK", "not-this-one-0123456789"), "MY_BR_KEY", () -> NOTHING);
        assertThat(names(mine)).isEqualTo("[bedrock-api-key-0123456789]");
    }

    @Test
    void static_keys_sign_and_every_value_is_a_secret() throws Exception {
        AwsAuth auth = AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_ACCESS_KEY_ID", AwsStub.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", AwsStub.SECRET, "AWS_SESSION_TOKEN", AwsStub.SESSION_TOKEN), null, () -> NOTHING);

        assertThat(auth.isBearer()).isFalse();
        assertThat(names(auth)).isEqualTo("[" + AwsStub.ACCESS_KEY_ID + ", " + AwsStub.SECRET + ", "
                + AwsStub.SESSION_TOKEN + "]");
        assertThat(auth.toString()).doesNotContain(AwsStub.ACCESS_KEY_ID, AwsStub.SECRET, AwsStub.SESSION_TOKEN);
    }

    @Test
    void no_credentials_is_one_line_naming_what_to_set_and_never_the_sdks_account() {
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "br-sonnet", Map.of(), null, () -> NOTHING))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("bedrock (model br-sonnet): no AWS credentials: set AWS_BEARER_TOKEN_BEDROCK, or "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")
                .hasNoCause();
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("claude-platform-aws", "cp", Map.of(), null, () -> NOTHING))
                .hasMessageContaining("set ANTHROPIC_AWS_API_KEY, or")
                .hasMessageNotContaining(LEAK);
    }

    @Test
    void half_a_static_key_pair_is_named_without_its_value() {
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "br",
                Map.of("AWS_ACCESS_KEY_ID", AwsStub.ACCESS_KEY_ID), null, () -> NOTHING))
                .isInstanceOf(MissingCredentials.class)
                .hasMessage("bedrock (model br): AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "br",
                Map.of("AWS_ACCESS_KEY_ID", AwsStub.ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", "bad secret value"), null,
                () -> NOTHING))
                .isInstanceOf(MissingCredentials.class)
                .hasMessageContaining("a space")
                .hasMessageNotContaining("bad secret value");
    }

    @Test
    void the_default_chain_is_resolved_once_at_set_up_and_its_values_are_secrets() throws Exception {
        int[] resolved = {0};
        AwsCredentialsProvider chain = () -> {
            resolved[0]++;
            return AwsSessionCredentials.create(AwsStub.ACCESS_KEY_ID, AwsStub.SECRET, AwsStub.SESSION_TOKEN);
        };
        AwsAuth auth = AwsAuth.fromEnvironment("bedrock", "br", Map.of(), null, () -> chain);

        assertThat(resolved[0]).isEqualTo(1);
        assertThat(names(auth)).contains(AwsStub.SECRET, AwsStub.SESSION_TOKEN);
        assertThat(auth.toString()).isEqualTo("AwsAuth[sigv4 default chain ****]");
    }

    @Test
    void the_source_names_what_signs_with_at_most_four_characters_of_a_key_id() throws Exception {
        assertThat(AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_BEARER_TOKEN_BEDROCK", "ABSKc29uZGUtZW11bGF0b3I="),
                null, () -> NOTHING).source()).isEqualTo("AWS_BEARER_TOKEN_BEDROCK");
        assertThat(AwsAuth.fromEnvironment("claude-platform-aws", "cp", Map.of("MY_CP_KEY", "cp-key-0123456789"),
                "MY_CP_KEY", () -> NOTHING).source()).isEqualTo("MY_CP_KEY");
        AwsAuth env = AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKEWXYZ",
                "AWS_SECRET_ACCESS_KEY", AwsStub.SECRET), null, () -> NOTHING);
        assertThat(env.source()).isEqualTo("AWS_ACCESS_KEY_ID …WXYZ (env)");
        AwsCredentialsProvider chain = () -> AwsSessionCredentials.create(AwsStub.ACCESS_KEY_ID, AwsStub.SECRET,
                AwsStub.SESSION_TOKEN);
        assertThat(AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_PROFILE", "rot"), null, () -> chain).source())
                .isEqualTo("profile rot");
        AwsCredentialsProvider named = () -> AwsSessionCredentials.builder().accessKeyId(AwsStub.ACCESS_KEY_ID)
                .secretAccessKey(AwsStub.SECRET).sessionToken(AwsStub.SESSION_TOKEN)
                .providerName("ProcessCredentialsProvider").build();
        assertThat(AwsAuth.fromEnvironment("bedrock", "br", Map.of(), null, () -> named).source())
                .isEqualTo("default chain: ProcessCredentialsProvider")
                .doesNotContain(AwsStub.SECRET, AwsStub.SESSION_TOKEN, AwsStub.ACCESS_KEY_ID.substring(0, 16));
    }

    @Test
    void a_profile_that_gives_no_credentials_is_named_with_what_to_run_never_the_sdks_text() {
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "X", Map.of("AWS_PROFILE", "bad"), null,
                () -> NOTHING, p -> AwsAuth.ProfileKind.SSO)).isInstanceOf(MissingCredentials.class)
                .hasMessage("bedrock (model X): profile bad: its credentials could not be resolved (an expired SSO "
                        + "session? run aws sso login --profile bad), or set AWS_BEARER_TOKEN_BEDROCK, or "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")
                .hasNoCause();
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "X", Map.of("AWS_PROFILE", "proc"), null,
                () -> NOTHING, p -> AwsAuth.ProfileKind.CREDENTIALS)).as("no SSO advice for a profile without SSO")
                .hasMessage("bedrock (model X): profile proc: its credentials could not be resolved: check it, or set "
                        + "AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("claude-platform-aws", "cp", Map.of(), null, () -> NOTHING,
                p -> p.equals("default") ? AwsAuth.ProfileKind.SSO : AwsAuth.ProfileKind.ABSENT))
                .as("the default profile's SSO config is there but gives nothing")
                .hasMessage("claude-platform-aws (model cp): profile default: its credentials could not be resolved (an "
                        + "expired SSO session? run aws sso login --profile default), or set ANTHROPIC_AWS_API_KEY, or "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")
                .hasMessageNotContaining(LEAK);
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "X", Map.of("AWS_PROFILE", "x; rm -rf ~\n" + LEAK),
                null, () -> NOTHING, p -> AwsAuth.ProfileKind.SSO)).hasMessage("bedrock (model X): profile (the one "
                        + "AWS_PROFILE names): its credentials could not be resolved (an expired SSO session? run aws sso "
                        + "login --profile (the one AWS_PROFILE names)), or set AWS_BEARER_TOKEN_BEDROCK, or "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
    }

    @Test
    void a_default_profile_with_only_a_region_is_not_a_configured_profile() {
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "br-sonnet", Map.of(), null, () -> NOTHING,
                p -> AwsAuth.ProfileKind.NO_CREDENTIALS))
                .hasMessage("bedrock (model br-sonnet): no AWS credentials: set AWS_BEARER_TOKEN_BEDROCK, or "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_PROFILE", "gone"), null,
                () -> NOTHING, p -> AwsAuth.ProfileKind.ABSENT))
                .hasMessage("bedrock (model br): profile gone is not in the AWS config files: set "
                        + "AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to "
                        + "a profile that is");
        assertThatThrownBy(() -> AwsAuth.fromEnvironment("bedrock", "br", Map.of("AWS_PROFILE", "region-only"), null,
                () -> NOTHING, p -> AwsAuth.ProfileKind.NO_CREDENTIALS))
                .hasMessageStartingWith("bedrock (model br): profile region-only holds no credential settings")
                .hasMessageNotContaining("sso login");
    }

    @Test
    void a_profiles_kind_is_read_from_its_setting_names() {
        assertThat(AwsAuth.ProfileKind.of(Set.of("region", "output"))).isEqualTo(AwsAuth.ProfileKind.NO_CREDENTIALS);
        assertThat(AwsAuth.ProfileKind.of(Set.of())).isEqualTo(AwsAuth.ProfileKind.NO_CREDENTIALS);
        for (String s : List.of("aws_access_key_id", "credential_process", "role_arn", "web_identity_token_file",
                "source_profile")) {
            assertThat(AwsAuth.ProfileKind.of(Set.of("region", s))).as(s).isEqualTo(AwsAuth.ProfileKind.CREDENTIALS);
        }
        assertThat(AwsAuth.ProfileKind.of(Set.of("sso_session", "region"))).isEqualTo(AwsAuth.ProfileKind.SSO);
        assertThat(AwsAuth.ProfileKind.of(Set.of("sso_start_url", "sso_account_id"))).isEqualTo(AwsAuth.ProfileKind.SSO);
    }

    @Test
    void bedrock_and_claude_platform_on_aws_share_a_source_when_they_read_the_same_credentials() {
        Map<String, String> keys = Map.of("AWS_ACCESS_KEY_ID", AwsStub.ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", AwsStub.SECRET);
        assertThat(AwsAuth.sourceKey("bedrock", keys, null)).isEqualTo(AwsAuth.sourceKey("claude-platform-aws", keys, null));
        Map<String, String> profile = Map.of("AWS_PROFILE", "sso-dev");
        assertThat(AwsAuth.sourceKey("bedrock", profile, null))
                .isEqualTo(AwsAuth.sourceKey("claude-platform-aws", profile, null))
                .isNotEqualTo(AwsAuth.sourceKey("bedrock", Map.of("AWS_PROFILE", "other"), null))
                .isNotEqualTo(AwsAuth.sourceKey("bedrock", Map.of(), null));
        Map<String, String> both = Map.of("AWS_BEARER_TOKEN_BEDROCK", "ABSKc29uZGUtZW11bGF0b3I=",
                "ANTHROPIC_AWS_API_KEY", "cp-key-0123456789", "AWS_PROFILE", "sso-dev");
        assertThat(AwsAuth.sourceKey("bedrock", both, null)).as("each its own key variable")
                .isNotEqualTo(AwsAuth.sourceKey("claude-platform-aws", both, null))
                .isEqualTo(AwsAuth.sourceKey("claude-platform-aws", both, "AWS_BEARER_TOKEN_BEDROCK"))
                .doesNotContain("ABSK");
        assertThat(AwsAuth.sourceKey("bedrock", Map.of("MY_KEY", " "), "MY_KEY")).as("a blank key is not one")
                .isEqualTo(AwsAuth.sourceKey("claude-platform-aws", Map.of(), null));
    }
}
