package dev.meadow.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.meadow.contracts.Component;
import dev.meadow.contracts.Topic;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Each component's Kafka user and rights, made from what {@link Topics} declares and nothing else:
 * <ul>
 *   <li>a topic's writers may write it; its readers may read it and write its dead letters;</li>
 *   <li>a component's consumer groups and transactional ids are those under its own prefix
 *       ({@link Component#resourcePrefix()});</li>
 *   <li>the gateway reads every dead-letter topic and looks at every Meadow group (for consumer lag).</li>
 * </ul>
 * Run by an administrator at every start: it sets the passwords, adds what is missing and removes every other right
 * the components' users hold, so that a narrowed declaration takes effect.
 */
public final class KafkaAccess {

    private static final String HOST = "*";
    private static final int SCRAM_ITERATIONS = 8192;

    private KafkaAccess() {}

    /** The Kafka principal of a component, as ACLs name it. */
    public static String principal(Component component) {
        return "User:" + component.principal();
    }

    /** Every right {@code component} holds. */
    public static Set<AclBinding> rights(Component component) {
        Set<AclBinding> rights = new LinkedHashSet<>();
        for (Topic<?> topic : Topics.ALL) {
            if (topic.writers().contains(component)) {
                allow(rights, component, topic(topic.name()), AclOperation.WRITE);
            }
            if (topic.readers().contains(component)) {
                allow(rights, component, topic(topic.name()), AclOperation.READ);
                allow(rights, component, topic(topic.deadLetterTopic()), AclOperation.WRITE);
            }
            if (Topics.DEAD_LETTER_READERS.contains(component)) {
                allow(rights, component, topic(topic.deadLetterTopic()), AclOperation.READ);
            }
        }
        ResourcePattern ownGroups =
                new ResourcePattern(ResourceType.GROUP, component.resourcePrefix(), PatternType.PREFIXED);
        allow(rights, component, ownGroups, AclOperation.READ);
        ResourcePattern ownTransactions =
                new ResourcePattern(ResourceType.TRANSACTIONAL_ID, component.resourcePrefix(), PatternType.PREFIXED);
        allow(rights, component, ownTransactions, AclOperation.WRITE);
        if (Topics.DEAD_LETTER_READERS.contains(component)) {
            allow(
                    rights,
                    component,
                    new ResourcePattern(ResourceType.GROUP, "meadow-", PatternType.PREFIXED),
                    AclOperation.DESCRIBE);
        }
        return rights;
    }

    /**
     * Gives each component in {@code passwords} its SCRAM-SHA-512 password and exactly its {@link #rights}, through
     * an administrator's client.
     */
    public static void apply(Admin admin, Map<Component, String> passwords)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<UserScramCredentialUpsertion> users = new ArrayList<>();
        passwords.forEach((component, password) -> users.add(new UserScramCredentialUpsertion(
                component.principal(),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                password)));
        admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);

        Set<AclBinding> wanted = new LinkedHashSet<>();
        for (Component component : passwords.keySet()) {
            wanted.addAll(rights(component));
        }
        List<AclBindingFilter> stale = new ArrayList<>();
        for (Component component : passwords.keySet()) {
            Collection<AclBinding> held =
                    admin.describeAcls(heldBy(component)).values().get(30, TimeUnit.SECONDS);
            for (AclBinding binding : held) {
                if (!wanted.contains(binding)) {
                    stale.add(binding.toFilter());
                }
            }
        }
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
        }
        admin.createAcls(wanted).all().get(30, TimeUnit.SECONDS);
    }

    private static AclBindingFilter heldBy(Component component) {
        return new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal(component), null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static void allow(
            Set<AclBinding> rights, Component component, ResourcePattern resource, AclOperation operation) {
        rights.add(new AclBinding(
                resource, new AccessControlEntry(principal(component), HOST, operation, AclPermissionType.ALLOW)));
    }
}
