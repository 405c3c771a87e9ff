package dev.meadow.cli.bench;

import dev.meadow.model.tf.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --precision fp32|bf16|auto}, in any case; anything else is a usage error that names the choices. */
final class PrecisionConverter implements ITypeConverter<Precision> {

    @Override
    public Precision convert(String value) {
        try {
            return Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
