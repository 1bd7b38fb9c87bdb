// Runs helm (helm-java: the helm library shipped as a native jar on Maven Central) for the chart
// checks: `java -cp '<jars>/*' HelmRunner.java <jobs-file> <out-dir>`.
//
// Each line of the jobs file is tab-separated: `<id> lint <chart-dir>`,
// `<id> template <chart-dir> <release> <namespace> <kube-version> [values-file...]` or the same
// with `notes` (a client-only install dry run, for NOTES.txt: helm-java's template leaves it out)
// or `reject` (a template that must fail, e.g. on values.schema.json; ok when it does).
// Every job writes
// `<out-dir>/<id>.out` (rendered YAML, or lint messages one per line) and `<id>.status`
// (`ok` or `failed`); the exit code is non-zero if any job failed. One JVM and one load of the
// native library serve every job.
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class HelmRunner {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: HelmRunner.java <jobs-file> <out-dir>");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    long started = System.nanoTime();
    System.out.println("[helm] " + Helm.version().call().trim() + " (helm-java)");
    int failed = 0;
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] job = line.split("\t");
      long at = System.nanoTime();
      String text;
      boolean ok;
      try {
        switch (job[1]) {
          case "lint" -> {
            LintResult result = new Helm(Path.of(job[2])).lint().strict().call();
            ok = !result.isFailed();
            text = String.join("\n", result.getMessages());
          }
          case "template", "reject" -> {
            TemplateCommand command =
                new Helm(Path.of(job[2])).template().withName(job[3])
                    .withNamespace(job[4])
                    .withKubeVersion(job[5]);
            for (String values : List.of(job).subList(6, job.length)) {
              command = command.withValuesFile(Path.of(values));
            }
            boolean rejecting = job[1].equals("reject");
            try {
              text = command.call();
              ok = !rejecting;
            } catch (RuntimeException error) {
              if (!rejecting) {
                throw error;
              }
              text = String.valueOf(error.getMessage());
              ok = true;
            }
          }
          case "notes" -> {
            InstallCommand command =
                new Helm(Path.of(job[2]))
                    .install()
                    .withName(job[3])
                    .withNamespace(job[4])
                    .withKubeVersion(job[5])
                    .withDryRunOption(DryRun.CLIENT)
                    .clientOnly();
            for (String values : List.of(job).subList(6, job.length)) {
              command = command.withValuesFile(Path.of(values));
            }
            String output = command.call().getOutput();
            int notes = output.indexOf("NOTES:\n");
            text = notes < 0 ? "" : output.substring(notes + "NOTES:\n".length());
            ok = notes >= 0;
          }
          default -> throw new IllegalArgumentException("unknown command " + job[1]);
        }
      } catch (RuntimeException error) {
        ok = false;
        text = String.valueOf(error.getMessage());
      }
      Files.writeString(out.resolve(job[0] + ".out"), text, StandardCharsets.UTF_8);
      Files.writeString(out.resolve(job[0] + ".status"), ok ? "ok" : "failed");
      System.out.printf(
          "[helm] %s %s: %s (%d ms)%n", job[1], job[0], ok ? "ok" : "FAILED", (System.nanoTime() - at) / 1_000_000);
      if (!ok) {
        failed++;
        System.out.println(text.indent(2));
      }
    }
    System.out.printf("[helm] %d job(s) failed, %d ms in all%n", failed, (System.nanoTime() - started) / 1_000_000);
    System.exit(failed == 0 ? 0 : 1);
  }
}
