package dev.sonde.metrics;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * The one YAML reader for files people hand Sonde: suites, pricing tables, emulator rules and
 * configs. A document of up to {@link #MAX_DOCUMENT_CHARS} characters is read whole, in time linear
 * in its length, whatever it holds: SnakeYAML's code-point limit (3 MB by default) and Jackson's
 * {@link StreamReadConstraints} (strings of 20 M characters, documents unbounded) are both set to it,
 * and SnakeYAML's reader, quadratic in the length of a token without spaces, is replaced by {@link
 * LinearStreamReader}. Callers bound the file before parsing ({@link BoundedFiles}, the same 64 MB
 * for a suite); these limits are the parser's own fence at that height.
 *
 * <p>YAML's non-finite floats ({@code .inf}, {@code -.inf}, {@code +.inf}, {@code .nan} in the
 * spellings YAML 1.1 and 1.2 give them) read as <b>strings</b>, as written. Jackson tags them as
 * floats and then refuses them ("Malformed numeric value"), which refused a whole suite; as doubles
 * they would break JSON Schema's range checks, turn into "Infinity" in every JSON copy and overflow
 * durations. No number Sonde reads may be infinite or NaN, so where a number is meant the usual
 * "must be a number" error names the field, and where text is meant the text is what was typed.
 * Thread-safe.
 */
public final class Yaml {
    /** The longest document read, in characters (UTF-8 needs at least a byte for each). */
    public static final int MAX_DOCUMENT_CHARS = 64 << 20;

    private Yaml() {}

    /** A mapper builder on a new {@link #factory()}, to configure further. */
    public static YAMLMapper.Builder mapper() {
        return YAMLMapper.builder(factory());
    }

    /** A new factory whose parsers have the limits above and read in linear time. */
    public static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        return new LinearFactory(YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_DOCUMENT_CHARS).maxDocumentLength(MAX_DOCUMENT_CHARS).build()));
    }

    /** Jackson's YAML factory with every parser built on {@link LinearStreamReader}. */
    private static final class LinearFactory extends YAMLFactory {
        LinearFactory(YAMLFactoryBuilder builder) {
            super(builder);
        }

        private LinearFactory(LinearFactory source) {
            super(source, null);
        }

        @Override
        public YAMLFactory copy() {
            return new LinearFactory(this);
        }

        @Override
        protected YAMLParser _createParser(Reader reader, IOContext context) {
            return new LinearParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
        }

        @Override
        protected YAMLParser _createParser(char[] data, int offset, int length, IOContext context, boolean recyclable) {
            return _createParser(new CharArrayReader(data, offset, length), context);
        }

        @Override
        protected YAMLParser _createParser(InputStream in, IOContext context) throws IOException {
            return _createParser(_createReader(in, null, context), context);
        }

        @Override
        protected YAMLParser _createParser(byte[] data, int offset, int length, IOContext context) throws IOException {
            return _createParser(_createReader(data, offset, length, null, context), context);
        }
    }

    private static final class LinearParser extends YAMLParser {
        /** YAML 1.1/1.2's plain infinity and not-a-number (a quoted one is a string already). */
        private static final Pattern NON_FINITE = Pattern.compile("[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

        LinearParser(IOContext context, int parserFeatures, int yamlFeatures, LoaderOptions options,
                ObjectCodec codec, Reader reader) {
            super(context, parserFeatures, yamlFeatures, codec, reader,
                    new ParserImpl(new LinearStreamReader(_constrainedReader(context, reader)), options));
        }

        @Override
        protected JsonToken _decodeScalar(ScalarEvent scalar) throws IOException {
            JsonToken token = super._decodeScalar(scalar);
            return token == JsonToken.VALUE_NUMBER_FLOAT && NON_FINITE.matcher(scalar.getValue()).matches()
                    ? JsonToken.VALUE_STRING : token;
        }
    }
}
