package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonogate demo} from the bundled clips (no shared data needed), and its HTML report rendered
 * in headless Chromium (installed by scripts/setup-test-tools; skipped visibly without it): the page
 * loads and every picture decodes.
 */
class DemoCommandTest extends CommandTest {
    @TempDir Path dir;


    @Test
    void writesTheReportAndReplacesOnlyItsOwnFolder() throws Exception {
        Path demo = dir.resolve("demo");
        assertEquals(0, run("demo", "--out", demo.toString(), "--frames", "4"), err());
        String o = out();
        assertTrue(o.contains("index.html") && o.contains("UNTRAINED") == !sonogate.inference.DefaultModel.bundled(), o);
        String html = Files.readString(demo.resolve("index.html"));
        List<String> images = images(html);
        assertTrue(images.size() >= 8, images.toString());
        for (String src : images) assertTrue(Files.size(demo.resolve(src)) > 100, src);
        for (String m : List.of("telea", "diffusion", "untrained")) assertTrue(html.contains("<tr><td>" + m + "</td>"), m);
        String metrics = Files.readString(demo.resolve("metrics.json"));
        assertTrue(metrics.contains("\"telea\": {\"ssim\": ") && metrics.contains("\"mask_iou\": "), metrics);
        assertTrue(Files.exists(demo.resolve("credits/CREDITS.md")) && Files.exists(demo.resolve("credits/LICENSE-pydicom-data.txt")));
        // A second demo replaces its own folder; a foreign folder needs --force.
        assertEquals(0, run("demo", "--out", demo.toString(), "--frames", "2"));
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(foreign.resolve("keep.txt"), "x");
        assertEquals(1, run("demo", "--out", foreign.toString(), "--frames", "2"));
        assertTrue(err().contains("use --force"), err());
        assertTrue(Files.exists(foreign.resolve("keep.txt")));
        assertEquals(2, run("demo", "--frames", "1"));
        assertEquals(2, run("demo", "extra"));

        // Headless Chromium: the page renders and every <img> decodes; a planted broken picture is caught.
        String ok = render(demo.resolve("index.html"));
        assertTrue(ok.contains("title sonogate demo") && ok.contains("images " + images.size() + " loaded " + images.size() + " missing []"), ok);
        Path broken = demo.resolve("broken.html");
        Files.writeString(broken, html.replace("cfd/output.png", "cfd/nothing-here.png"));
        String bad = render(broken);
        assertTrue(bad.contains("missing [cfd/nothing-here.png]"), bad);
    }

    static List<String> images(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /**
     * Loads {@code page} in an iframe of a probe page (file access between local files allowed) and
     * returns the probe's verdict: the page's title, its number of images, how many decoded, which did not.
     */
    private String render(Path page) throws Exception {
        String chromium = null;
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) chromium = c;
        }
        assumeTrue(chromium != null, "SKIPPED: no chromium (scripts/setup-test-tools installs Debian's)");
        Path probe = dir.resolve("probe-" + page.getFileName());
        Files.writeString(probe, """
                <!DOCTYPE html><html><body><pre id="result">pending</pre>
                <iframe id="f" width="1200" height="900" src="%s"></iframe>
                <script>
                document.getElementById('f').onload = function () {
                  var r = document.getElementById('result');
                  try {
                    var d = this.contentDocument, imgs = d.images, ok = 0, missing = [];
                    for (var i = 0; i < imgs.length; i++) {
                      if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++; else missing.push(imgs[i].getAttribute('src'));
                    }
                    r.textContent = 'title ' + d.title + ' images ' + imgs.length + ' loaded ' + ok + ' missing [' + missing.join(',') + ']';
                  } catch (e) { r.textContent = 'error ' + e; }
                };
                </script></body></html>
                """.formatted(page.toUri()));
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                "--virtual-time-budget=15000", "--user-data-dir=" + dir.resolve("chromium-profile"), "--dump-dom", probe.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        Matcher m = Pattern.compile("<pre id=\"result\">([^<]*)</pre>").matcher(dom);
        assertTrue(m.find(), "no verdict in chromium's DOM: " + dom);
        return m.group(1);
    }
}
