package io.github.managedscopes.sample.demo;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

/**
 * Endpoints that show what the meters and the actuator endpoint report.
 */
@RestController
@RequestMapping("/demo")
class DemoController {

    private final DemoResources resources;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    DemoController(DemoResources resources) {
        this.resources = resources;
    }

    /**
     * Opens a resource whose close fails; the failure is swallowed and counted.
     */
    @GetMapping("/flaky")
    String flaky() {
        this.resources.flakyConnection();
        return "closed a flaky connection; see managedscopes_exceptions_suppressed_total\n";
    }

    /**
     * Holds a resource open for a while: visible in /actuator/managedscopes meanwhile.
     */
    @GetMapping("/slow")
    DeferredResult<String> slow(@RequestParam(defaultValue = "10") int seconds) {
        if (seconds < 1 || seconds > 60) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'seconds' must be 1 to 60");
        }
        this.resources.slowExport();
        DeferredResult<String> result = new DeferredResult<>(TimeUnit.SECONDS.toMillis(seconds + 5L));
        this.timer.schedule(() -> result.setResult("held slow-export for " + seconds + " s\n"), seconds,
                TimeUnit.SECONDS);
        return result;
    }

    @PreDestroy
    void stopTimer() {
        this.timer.shutdownNow();
    }

}
