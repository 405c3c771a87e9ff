package dev.meadow.cli;

import picocli.CommandLine.IVersionProvider;

final class MeadowVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Meadow.class.getPackage().getImplementationVersion();
        return new String[] {"meadow " + (version == null ? "development build" : version)};
    }
}
