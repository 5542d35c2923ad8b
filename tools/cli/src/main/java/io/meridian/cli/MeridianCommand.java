package io.meridian.cli;

import io.meridian.cli.auth.TokenCache;
import io.meridian.cli.config.Context;
import io.meridian.cli.config.ContextStore;
import io.meridian.cli.stream.AuditCommand;
import io.meridian.cli.stream.EventsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code meridian} command: contexts, login, the fleet's event streams and the services' REST verbs. */
@Command(
        name = "meridian",
        mixinStandardHelpOptions = true,
        version = "meridian CLI 0.1.0",
        description = "The command line of Meridian, the multi-cloud Kubernetes fleet manager.",
        subcommands = {
            ContextCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            AuditCommand.class,
            EventsCommand.class,
            ClustersCommand.class,
            ResourcesCommand.class,
            GrantsCommand.class,
            AccessCommand.class,
            PoliciesCommand.class,
            ViolationsCommand.class,
            WaiversCommand.class,
            CostCommand.class,
            AlertsCommand.class,
            SilencesCommand.class,
            WorkloadsCommand.class,
            CompletionCommand.class
        })
public final class MeridianCommand implements Runnable {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--context",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            description = "The context to use instead of the current one (see: meridian context list).")
    String contextName;

    public MeridianCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /** The command line with the CLI's exit codes: 0 ok, 1 error, 2 usage. */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine commandLine = new CommandLine(new MeridianCommand(environment));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            // A CliException is a message for the user; anything else is printed with its type, still without a
            // stack trace, which would hide the one line that matters.
            String message =
                    e instanceof CliException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            cmd.getErr().println("error: " + message);
            cmd.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    /** The root command of a parsed command line, from any of its subcommands. */
    public static MeridianCommand of(CommandSpec spec) {
        return (MeridianCommand) spec.root().userObject();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing");
    }

    public CliEnvironment environment() {
        return environment;
    }

    public ContextStore contexts() {
        return new ContextStore(environment);
    }

    public TokenCache tokens() {
        return new TokenCache(environment.configDir());
    }

    /** The name of the context this run uses: {@code --context}, else the current one. */
    public String contextName() {
        return contextName != null ? contextName : contexts().currentName();
    }

    /** The context this run uses. */
    public Context context() {
        return contexts().resolve(contextName());
    }
}
