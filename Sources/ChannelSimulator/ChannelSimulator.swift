/// The `ChannelSimulator` module. See README.md for where it sits in the stack.
public enum ChannelSimulatorModule {
    public static let name = "ChannelSimulator"
}
