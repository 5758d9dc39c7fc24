package io.github.managedscopes.sample.bench;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints of the end-to-end load harness ({@code benchmarks/load/run.sh}), which
 * compares {@code /bench/managed} with {@code /bench/plain}, and {@code /bench/untouched}
 * with the starter enabled and disabled. The first two do the same work with three scratch
 * buffers; only who closes them differs.
 */
@RestController
@RequestMapping("/bench")
class BenchController {

    private final ScratchBuffers plain;

    private final ManagedScratchBuffers managed;

    BenchController(ScratchBuffers plain, ManagedScratchBuffers managed) {
        this.plain = plain;
        this.managed = managed;
    }

    /**
     * Three buffers closed by try-with-resources.
     */
    @GetMapping("/plain")
    String plain() {
        try (ScratchBuffer first = this.plain.first();
                ScratchBuffer second = this.plain.second();
                ScratchBuffer third = this.plain.third()) {
            return body(first, second, third);
        }
    }

    /**
     * Three buffers registered on the request's scope by {@code @ManagedResource}.
     */
    @GetMapping("/managed")
    String managed() {
        return body(this.managed.first(), this.managed.second(), this.managed.third());
    }

    /**
     * Never touches the request's stack: no scope is opened for it.
     */
    @GetMapping("/untouched")
    String untouched() {
        return "sum=384\n";
    }

    private static String body(ScratchBuffer first, ScratchBuffer second, ScratchBuffer third) {
        return "sum=" + (first.sum() + second.sum() + third.sum()) + "\n";
    }

}
