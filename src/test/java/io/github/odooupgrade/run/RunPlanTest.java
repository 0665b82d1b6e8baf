package io.github.odooupgrade.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A cluster named by one address is found at the other on the same host. */
class RunPlanTest {

    @Test
    void aGrpcAddressAloneNamesTheHostOfTheRestApiOnPort8080() {
        assertThat(new RunPlan.Cluster("http://camunda.internal:26500", null).completed())
                .isEqualTo(new RunPlan.Cluster("http://camunda.internal:26500", "http://camunda.internal:8080"));
    }

    @Test
    void aRestAddressAloneNamesTheHostOfTheGatewayOnPort26500() {
        assertThat(new RunPlan.Cluster(null, "https://camunda.example.com:8443").completed())
                .isEqualTo(new RunPlan.Cluster("https://camunda.example.com:26500", "https://camunda.example.com:8443"));
    }

    @Test
    void bothOrNeitherAreLeftAsGiven() {
        RunPlan.Cluster both = new RunPlan.Cluster("http://a:1", "http://b:2");
        assertThat(both.completed()).isEqualTo(both);
        RunPlan.Cluster configured = new RunPlan.Cluster(null, null);
        assertThat(configured.completed()).isEqualTo(configured);
    }

    @Test
    void anAddressWithoutSchemeOrHostIsRefusedWithWhatItShouldLookLike() {
        assertThatThrownBy(() -> new RunPlan.Cluster("localhost:26500", null).completed()).hasMessageContaining("http://host:port");
    }
}
