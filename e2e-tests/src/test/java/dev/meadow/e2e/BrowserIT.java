package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.devstack.TopicWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The gallery in a real headless Chromium (Debian's), against the running stack. Screenshots go to target/. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {

    static LocalStack stack;
    static WebDriver browser;
    static Path screenshots;
    static String batchPage;

    @BeforeAll
    static void startBrowser() throws Exception {
        stack = LocalStack.get();
        screenshots = Path.of(System.getProperty("meadow.e2e.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("meadow-chromium-"));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static String url(String path) {
        return "http://localhost:" + stack.gatewayPort + path;
    }

    private static WebDriverWait waitUpTo(Duration duration) {
        return new WebDriverWait(browser, duration);
    }

    private static void screenshot(String name) throws Exception {
        Path file = screenshots.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(file)).isGreaterThan(1000);
    }

    @Test
    @Order(1)
    void anOperatorLogsInWithTheApiKey() throws Exception {
        browser.get(url("/login?next=/batches"));
        browser.findElement(By.name("key")).sendKeys(LocalStack.API_KEY);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(url("/batches")));
        screenshot("01-batches");
    }

    @Test
    @Order(2)
    void aBatchSubmittedThroughThePageReaches100Percent() throws Exception {
        browser.get(url("/batches"));
        browser.findElement(By.id("prompts"))
                .sendKeys("two brown cows on green grass under a blue sky\n"
                        + "--seed 42 --count 3 a white sheep in the snow at night\n"
                        + "a pastoral landscape with grey mountains at sunset\n");
        browser.findElement(By.cssSelector("#submit-batch button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/batches/"));
        batchPage = browser.getCurrentUrl();
        waitUpTo(Duration.ofMinutes(2)).until(ExpectedConditions.textToBe(By.id("percent"), "100.0%"));
        waitUpTo(Duration.ofSeconds(20))
                .until(d -> d.findElements(By.cssSelector(".grid img")).size() == 5);
        assertThat(browser.findElement(By.id("generated")).getText()).isEqualTo("5");
        screenshot("02-batch-done");
    }

    @Test
    @Order(3)
    void anImagePageShowsTheRenderedPng() throws Exception {
        browser.get(batchPage);
        browser.findElement(By.cssSelector(".grid a")).click();
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("picture")));
        WebElement picture = browser.findElement(By.id("picture"));
        waitUpTo(Duration.ofSeconds(10)).until(d -> naturalWidth(picture) > 0);
        assertThat(naturalWidth(picture)).isEqualTo(32);
        assertThat(browser.findElement(By.id("prompt")).getText()).isNotBlank();
        screenshot("03-image");
    }

    private static long naturalWidth(WebElement image) {
        Object width = ((JavascriptExecutor) browser)
                .executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0;", image);
        return ((Number) width).longValue();
    }

    @Test
    @Order(4)
    void searchFindsThePromptsWords() throws Exception {
        browser.get(url("/"));
        WebElement search = browser.findElement(By.name("q"));
        search.sendKeys("sheep snow");
        search.submit();
        waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("q=sheep+snow"));
        var captions = browser.findElements(By.cssSelector("#gallery li span"));
        assertThat(captions)
                .isNotEmpty()
                .allSatisfy(c ->
                        assertThat(c.getText().toLowerCase()).contains("sheep").contains("snow"));
        screenshot("04-search");
    }

    @Test
    @Order(5)
    void theModelsPageDrawsTheTrainingCurve() throws Exception {
        Instant now = Instant.now();
        try (TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            for (int epoch = 1; epoch <= 12; epoch++) {
                TrainingEvent e = TrainingEvent.epoch(
                        "run-browser",
                        "snap-browser",
                        epoch,
                        12,
                        new LossBreakdown(3200 * Math.exp(-epoch / 5.0) + 2300, 2200, 90, 0.4),
                        new LossBreakdown(3300 * Math.exp(-epoch / 6.0) + 2350, 2250, 90, 0.4),
                        now);
                writer.send(Topics.TRAINING_EVENTS.name(), e.runId(), Topics.TRAINING_EVENTS.encode(e));
            }
            ModelPublished model = new ModelPublished(
                    1,
                    ModelKind.CVAE,
                    "browser-curve",
                    "cvae/browser-curve/",
                    "small-64",
                    "clip-tiny-test",
                    ConditioningMode.IMAGE,
                    64,
                    16,
                    "snap-browser",
                    "run-browser",
                    2400.0,
                    12,
                    now,
                    null,
                    null);
            writer.send(Topics.MODELS.name(), model.key(), Topics.MODELS.encode(model));
        }
        waitUpTo(Duration.ofSeconds(30)).until(d -> {
            d.get(url("/models"));
            return !d.findElements(By.cssSelector("svg.chart polyline.validation"))
                    .isEmpty();
        });
        String points =
                browser.findElement(By.cssSelector("svg.chart polyline.train")).getAttribute("points");
        assertThat(points.split(" ")).hasSize(12);
        screenshot("05-models");
    }

    /** What sticks out past the window's right edge: the page itself, or any element outside a table's own box. */
    private static final String OVERFLOW = """
            const width = document.documentElement.clientWidth;
            const found = [];
            if (document.documentElement.scrollWidth > width) {
              found.push('page is ' + document.documentElement.scrollWidth + ' px wide');
            }
            for (const el of document.querySelectorAll('body *')) {
              if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
              const box = el.getBoundingClientRect();
              if (box.width > 0 && box.right > width + 1) {
                found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ends at ' + Math.round(box.right));
              }
            }
            return found.slice(0, 5).join('; ');
            """;

    @Test
    @Order(6)
    void everyPageFitsADesktopAndAPhoneWindowWithReadableTimesAndNumbers() throws Exception {
        browser.get(batchPage);
        String imagePage = browser.findElement(By.cssSelector(".grid a")).getAttribute("href");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("gallery", url("/"));
        pages.put("batches", url("/batches"));
        pages.put("batch", batchPage);
        pages.put("image", imagePage);
        pages.put("models", url("/models"));
        pages.put("datasets", url("/datasets"));
        pages.put("experiments", url("/experiments"));
        pages.put("login", url("/login"));
        Pattern rawInstant = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        Pattern longDecimal = Pattern.compile("\\d\\.\\d{5,}");
        try {
            for (int width : new int[] {1400, 390}) {
                browser.manage().window().setSize(new Dimension(width, 900));
                for (Map.Entry<String, String> page : pages.entrySet()) {
                    browser.get(page.getValue());
                    String overflow = (String) ((JavascriptExecutor) browser).executeScript(OVERFLOW);
                    screenshot("layout-" + width + "-" + page.getKey());
                    assertThat(overflow)
                            .as(page.getKey() + " at " + width + " px")
                            .isEmpty();
                    String text = browser.findElement(By.tagName("main")).getText();
                    assertThat(rawInstant.matcher(text).find())
                            .as(page.getKey() + " shows a raw timestamp: " + text)
                            .isFalse();
                    assertThat(longDecimal.matcher(text).find())
                            .as(page.getKey() + " shows a long decimal: " + text)
                            .isFalse();
                }
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }
}
