package io.flakeproof.service;

import java.util.Locale;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of a command also as an environment variable: {@code --lease-window} is read from
 * {@code FLAKEPROOF_LEASE_WINDOW} when the command line does not give it. The command line wins,
 * then the environment, then the option's default.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    private final UnaryOperator<String> environment;

    /** Reads the process environment. */
    EnvironmentDefaults() {
        this(System::getenv);
    }

    EnvironmentDefaults(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** {@code --lease-window} -> {@code FLAKEPROOF_LEASE_WINDOW}. */
    static String variableOf(String longestName) {
        return "FLAKEPROOF_" + longestName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option && !option.usageHelp()) {
            return environment.apply(variableOf(option.longestName()));
        }
        return null;
    }
}
