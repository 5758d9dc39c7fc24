package io.github.managedscopes.sample;

/**
 * The end-to-end tests on the embedded default database, H2.
 */
class H2EndToEndTests extends SampleServiceEndToEndTests {

}
