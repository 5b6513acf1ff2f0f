package dev.sonde.run;

import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;

/**
 * A provider that is told which trial a request is for: the runner adds the headers
 * {@value dev.sonde.emulator.Recording#REPEAT_HEADER} (the trial's 0-based repeat index) and
 * {@value dev.sonde.emulator.Recording#MODEL_HEADER} (its {@code models[].id}) to every request of a
 * trial it sends through one, and {@link ProviderGrader} to the grading of that trial's answer; no
 * other provider gets them. The session marks the embedded emulator's providers (so the k-th repeat
 * of each model gets its own recorded answer at any concurrency) and the recorder's ({@code --record},
 * which takes the headers off before the request goes to the real endpoint), so they never leave for
 * a real endpoint.
 */
public interface RepeatAware extends Provider {

    /** {@code provider}, told each trial request's repeat (the embedded emulator's). */
    static RepeatAware of(Provider provider) {
        return new RepeatAware() {
            @Override
            public Exchange send(MessageRequest request) throws InterruptedException {
                return provider.send(request);
            }

            @Override
            public Exchange countTokens(MessageRequest request) throws InterruptedException {
                return provider.countTokens(request);
            }

            @Override
            public String endpoint() {
                return provider.endpoint();
            }

            @Override
            public void close() {
                provider.close();
            }
        };
    }
}
