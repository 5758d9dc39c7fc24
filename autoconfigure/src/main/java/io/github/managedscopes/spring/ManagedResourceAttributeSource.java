package io.github.managedscopes.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.managedscopes.AsyncCloseable;
import io.github.managedscopes.SuppressedTypes;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds and validates {@link ManagedResource} on methods, once per method and target class.
 * Every annotated method of a class is validated when the class is first examined, which
 * for a bean is at application start-up, so that misuse fails there and names the method.
 */
public final class ManagedResourceAttributeSource {

    private static final String TRANSACTION_SYNCHRONIZATION = "org.springframework.transaction.support."
            + "TransactionSynchronizationManager";

    private final Map<MethodClassKey, ManagedResourceAttribute> attributes = new ConcurrentHashMap<>(256);

    private final Map<Class<?>, Boolean> classes = new ConcurrentHashMap<>(256);

    /**
     * The attribute of each {@code Method} object a proxy passed at a call, by identity: a proxy
     * passes the same object at every call of a method, so that a call finds its attribute
     * without {@code Method.equals}. Copied on write; bounded by {@link #MAX_CALL_SITES}.
     */
    private volatile Map<Method, ManagedResourceAttribute> calls = new IdentityHashMap<>();

    /** How many distinct {@code Method} objects {@link #calls} remembers at most. */
    private static final int MAX_CALL_SITES = 4096;

    private final boolean transactionsAvailable;

    /**
     * Creates a source that looks for spring-tx with the class loader of this class.
     */
    public ManagedResourceAttributeSource() {
        this(ManagedResourceAttributeSource.class.getClassLoader());
    }

    /**
     * Creates a source.
     * @param classLoader the application's class loader, where {@code closeAt = TRANSACTION_END}
     * needs spring-tx
     */
    public ManagedResourceAttributeSource(@Nullable ClassLoader classLoader) {
        this.transactionsAvailable = ClassUtils.isPresent(TRANSACTION_SYNCHRONIZATION, classLoader);
    }

    /**
     * Whether the class has {@code @ManagedResource} methods; validates each of them.
     * @param targetClass the class
     * @return whether any method is annotated
     * @throws IllegalStateException naming the first misused method
     */
    public boolean hasAnnotatedMethods(Class<?> targetClass) {
        Boolean annotated = this.classes.get(targetClass);
        if (annotated == null) {
            annotated = inspect(targetClass);
            this.classes.put(targetClass, annotated);
        }
        return annotated;
    }

    private boolean inspect(Class<?> targetClass) {
        if (!AnnotationUtils.isCandidateClass(targetClass, ManagedResource.class)) {
            return false;
        }
        boolean annotated = false;
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(ClassUtils.getUserClass(targetClass),
                ReflectionUtils.USER_DECLARED_METHODS)) {
            annotated |= attribute(method, targetClass) != null;
        }
        return annotated;
    }

    /**
     * The validated attribute of a method.
     * @param method the method invoked
     * @param targetClass the class of the target, or {@code null}
     * @return the attribute, or {@code null} if the method is not annotated
     * @throws IllegalStateException if the annotation is misused
     */
    public @Nullable ManagedResourceAttribute attribute(Method method, @Nullable Class<?> targetClass) {
        return annotatedOnly(lookUp(method, targetClass));
    }

    /**
     * The attribute of a method invoked through a proxy, as {@link #attribute}, found by the
     * identity of the {@code Method} object after the first call.
     * @param method the method invoked, as the proxy passed it
     * @param targetClass the class of the target, or {@code null}
     * @return the attribute, or {@code null} if the method is not annotated
     */
    public @Nullable ManagedResourceAttribute attributeOfCall(Method method, @Nullable Class<?> targetClass) {
        ManagedResourceAttribute known = this.calls.get(method);
        if (known != null && known.targetClass() == targetClass) {
            return annotatedOnly(known);
        }
        ManagedResourceAttribute found = lookUp(method, targetClass);
        if (known == null) {
            // The first target class a Method object is called for is the one remembered.
            remember(method, found);
        }
        return annotatedOnly(found);
    }

    /** The attribute of a method for a target class, annotated or not, computed once. */
    private ManagedResourceAttribute lookUp(Method method, @Nullable Class<?> targetClass) {
        return this.attributes.computeIfAbsent(new MethodClassKey(method, targetClass),
                (key) -> compute(method, targetClass));
    }

    private static @Nullable ManagedResourceAttribute annotatedOnly(ManagedResourceAttribute attribute) {
        return attribute.annotated() ? attribute : null;
    }

    private synchronized void remember(Method method, ManagedResourceAttribute attribute) {
        Map<Method, ManagedResourceAttribute> known = this.calls;
        if (known.size() < MAX_CALL_SITES && !known.containsKey(method)) {
            Map<Method, ManagedResourceAttribute> copy = new IdentityHashMap<>(known);
            copy.put(method, attribute);
            this.calls = copy;
        }
    }

    private ManagedResourceAttribute compute(Method method, @Nullable Class<?> targetClass) {
        Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
        Method specific = AopUtils.getMostSpecificMethod(method, userClass);
        ManagedResource annotation = AnnotatedElementUtils.findMergedAnnotation(specific, ManagedResource.class);
        if (annotation == null && specific != method) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method, ManagedResource.class);
        }
        if (annotation == null) {
            return ManagedResourceAttribute.notAnnotated(targetClass);
        }
        String described = userClass.getSimpleName() + "." + specific.getName();
        String culprit = "@ManagedResource method '" + userClass.getName() + "." + specific.getName() + "'";
        ProxyReach.check(specific, userClass, culprit, "what it returns would never be registered, nor closed");
        Class<?> returnType = specific.getReturnType();
        if (returnType == void.class || returnType == Void.class) {
            throw new IllegalStateException(culprit + " returns void, so there is nothing to register. Return the "
                    + "resource, or remove @ManagedResource.");
        }
        if (AnnotatedElementUtils.hasAnnotation(specific, ManagedScope.class)
                || AnnotatedElementUtils.hasAnnotation(userClass, ManagedScope.class)) {
            throw new IllegalStateException(culprit + " also runs in a @ManagedScope of its own, so what it returns "
                    + "would be closed as soon as it is returned. Put @ManagedScope on the caller instead.");
        }
        ResultKind result = ResultKind.of(specific, culprit);
        Class<?> resourceType = (result != ResultKind.VALUE) ? arrivingType(specific, userClass, result, annotation,
                culprit) : returnType;
        Method closeMethod = null;
        if (!annotation.closeMethod().isEmpty()) {
            closeMethod = ReflectionUtils.findMethod(resourceType, annotation.closeMethod());
            if (closeMethod == null || Modifier.isStatic(closeMethod.getModifiers())) {
                throw new IllegalStateException(culprit + " names closeMethod \"" + annotation.closeMethod()
                        + "\", but " + resourceType.getName() + " has no instance method of that name without "
                        + "parameters. Name the method that closes what it returns.");
            }
            ReflectionUtils.makeAccessible(closeMethod);
        }
        else if (!AutoCloseable.class.isAssignableFrom(resourceType)
                && !AsyncCloseable.class.isAssignableFrom(resourceType)) {
            throw new IllegalStateException(culprit + " returns " + ((result != ResultKind.VALUE)
                    ? returnType.getSimpleName() + " of " : "") + resourceType.getName() + ", which is not "
                    + "AutoCloseable (nor AsyncCloseable). Return an AutoCloseable, or name its close method with "
                    + "@ManagedResource(closeMethod = \"...\").");
        }
        if (annotation.closeAt() == CloseAt.TRANSACTION_END && !this.transactionsAvailable) {
            throw new IllegalStateException(culprit + " asks for closeAt = TRANSACTION_END, but spring-tx is not on "
                    + "the classpath, so no transaction can ever close what it returns. Add "
                    + "org.springframework:spring-tx (spring-boot-starter-jdbc brings it), or use CloseAt.SCOPE_END.");
        }
        String name = annotation.name().isEmpty() ? described : annotation.name();
        return new ManagedResourceAttribute(targetClass, true, described, name,
                SuppressedTypes.of(annotation.suppress()), annotation.closeAt(), closeMethod, result);
    }

    /**
     * The type of the resource a {@code CompletionStage} or {@code Mono} method's result
     * brings, validating that it can be registered when it arrives.
     */
    private static Class<?> arrivingType(Method method, Class<?> userClass, ResultKind result,
            ManagedResource annotation, String culprit) {
        if (result == ResultKind.FLUX) {
            throw new IllegalStateException(culprit + " returns a Flux, which may emit any number of resources. "
                    + "Return a Mono or a CompletionStage of the one resource it opens.");
        }
        if (annotation.closeAt() == CloseAt.TRANSACTION_END) {
            throw new IllegalStateException(culprit + " returns a value that arrives later and asks for closeAt = "
                    + "TRANSACTION_END, but a transaction is bound to the calling thread, not to the arrival of the "
                    + "value. Use CloseAt.SCOPE_END, or return the resource itself.");
        }
        return ResolvableType.forMethodReturnType(method, userClass).getGeneric(0).resolve(Object.class);
    }

}
