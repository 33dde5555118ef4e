/// The `Plots` module. See README.md for where it sits in the stack.
public enum PlotsModule {
    public static let name = "Plots"
}
