package io.github.managedscopes.archfixture.anywhere;

import reactor.core.publisher.Mono;

/**
 * Breaks the rule that only the reactive classes load Reactor (it is optional).
 */
public final class UsesReactor {

    Mono<String> greeting() {
        return Mono.just("hello");
    }

}
