package io.meridian.cli;

import io.meridian.cli.auth.KeycloakClient;
import io.meridian.cli.auth.Token;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meridian logout}: ends the session at Keycloak and forgets the cached token. */
@Command(name = "logout", description = "End the session at Keycloak and remove the cached token of the context.")
final class LogoutCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        MeridianCommand root = MeridianCommand.of(spec);
        String contextName = root.contextName();
        PrintWriter out = spec.commandLine().getOut();
        Optional<Token> token = root.tokens().get(contextName);
        if (token.isEmpty()) {
            out.println("not logged in to context " + contextName);
            out.flush();
            return;
        }
        String note = "";
        if (token.get().refreshToken() != null) {
            try {
                new KeycloakClient(root.context(), root.environment())
                        .logout(token.get().refreshToken());
            } catch (CliException e) {
                // The local token goes either way: a session Keycloak cannot end has usually ended already.
                note = " (Keycloak did not end the session: " + e.getMessage() + ")";
            }
        }
        root.tokens().remove(contextName);
        out.println("logged out of context " + contextName + note);
        out.flush();
    }
}
