package io.meridian.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the shell completion script: {@code source <(meridian completion bash)}. */
@Command(
        name = "completion",
        description = "Print the shell completion script (bash, or zsh through its bashcompinit).")
final class CompletionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", defaultValue = "bash")
    Shell shell;

    enum Shell {
        bash,
        zsh
    }

    @Override
    public void run() {
        String script = AutoComplete.bash("meridian", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // picocli's script is bash; zsh runs it through its bash completion emulation.
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
