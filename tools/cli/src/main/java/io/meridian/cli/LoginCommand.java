package io.meridian.cli;

import io.meridian.cli.auth.KeycloakClient;
import io.meridian.cli.auth.Token;
import io.meridian.cli.config.Context;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meridian login}: the OAuth 2.0 device authorization grant against the context's Keycloak, or the password
 * grant with {@code --username} (the password from the terminal or standard input, never from the command line).
 */
@Command(
        name = "login",
        description = {
            "Log in to the context's Keycloak and cache the token (owner-only file in the config directory).",
            "Without --username: open the printed URL in a browser and enter the code (device login).",
            "With --username: the password is read from the terminal, or from standard input with --password-stdin."
        })
final class LoginCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--username", paramLabel = "USER", description = "Log in with a password instead (demo users).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    public void run() {
        MeridianCommand root = MeridianCommand.of(spec);
        String contextName = root.contextName();
        Context context = root.context();
        KeycloakClient keycloak = new KeycloakClient(context, root.environment());
        PrintWriter out = spec.commandLine().getOut();
        Token token;
        if (username != null) {
            token = keycloak.passwordLogin(username, password(root.environment()));
        } else {
            token = deviceLogin(keycloak, context, out);
        }
        root.tokens().put(contextName, token);
        out.println("logged in to context " + contextName + " as "
                + token.userName().orElse("(unknown user)"));
        out.flush();
    }

    private Token deviceLogin(KeycloakClient keycloak, Context context, PrintWriter out) {
        KeycloakClient.DeviceAuthorization authorization;
        try {
            authorization = keycloak.startDeviceLogin();
        } catch (KeycloakClient.OAuthException e) {
            throw new CliException("Keycloak refused the device login for client '" + context.client() + "' ("
                    + e.getMessage() + "); log in with a password instead: meridian login --username USER");
        }
        if (authorization.verificationUriComplete() != null) {
            out.println("Open " + authorization.verificationUriComplete() + " in a browser to log in");
            out.println("(or open " + authorization.verificationUri() + " and enter the code "
                    + authorization.userCode() + ")");
        } else {
            out.println("Open " + authorization.verificationUri() + " in a browser and enter the code "
                    + authorization.userCode());
        }
        out.println("Waiting for the login (the code expires in "
                + authorization.expiresIn().toMinutes() + " min)...");
        out.flush();
        try {
            return keycloak.awaitDeviceToken(authorization);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the login", e);
        }
    }

    private String password(CliEnvironment environment) {
        Console console = System.console();
        if (!passwordStdin && console != null && environment.stdin() == System.in) {
            char[] password = console.readPassword("Password for %s: ", username);
            if (password == null || password.length == 0) {
                throw new CliException("no password given");
            }
            return new String(password);
        }
        try {
            String line =
                    new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException("no password on standard input (meridian login --username " + username
                        + " --password-stdin < FILE)");
            }
            return line;
        } catch (IOException e) {
            throw new CliException("cannot read the password from standard input: " + e.getMessage(), e);
        }
    }
}
