package io.github.managedscopes.spring;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribute of a call ({@link ManagedResourceAttributeSource#attributeOfCall}), found by
 * the identity of the {@code Method} object a proxy passes, is the attribute of that method for
 * that target class, whichever target classes the same {@code Method} object is called for.
 */
class ManagedResourceAttributeSourceTests {

    private final ManagedResourceAttributeSource source = new ManagedResourceAttributeSource();

    @Test
    void aCallFindsTheAttributeOfItsTargetClassEachTime() throws Exception {
        Method open = Opener.class.getMethod("open");
        for (int call = 0; call < 3; call++) {
            assertThat(this.source.attributeOfCall(open, ManagedOpener.class)).isNotNull()
                .isEqualTo(this.source.attribute(open, ManagedOpener.class));
            assertThat(this.source.attributeOfCall(open, PlainOpener.class)).isNull();
        }
    }

    @Test
    void aCallOfAnUnannotatedMethodFindsNoAttribute() throws Exception {
        Method open = PlainOpener.class.getMethod("open");
        assertThat(this.source.attributeOfCall(open, PlainOpener.class)).isNull();
        assertThat(this.source.attributeOfCall(open, PlainOpener.class)).isNull();
    }

    @Test
    void aCallOfTheSameMethodThroughAnotherMethodObjectFindsTheSameAttribute() throws Exception {
        ManagedResourceAttribute first = this.source.attributeOfCall(ManagedOpener.class.getMethod("open"),
                ManagedOpener.class);
        ManagedResourceAttribute second = this.source.attributeOfCall(ManagedOpener.class.getMethod("open"),
                ManagedOpener.class);
        assertThat(first).isNotNull().isEqualTo(second);
        assertThat(first.name()).contains("open");
    }

    interface Opener {

        InputStream open();

    }

    static class ManagedOpener implements Opener {

        @Override
        @ManagedResource
        public InputStream open() {
            return new ByteArrayInputStream(new byte[0]);
        }

    }

    static class PlainOpener implements Opener {

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(new byte[0]);
        }

    }

}
