package io.github.odooupgrade.process;

/**
 * The campaign model's contract ({@code bpmn/odoo-upgrade-campaign.bpmn}): many databases, each
 * upgraded by an instance of {@link UpgradeProcess} called from it. An item carries the upgrade's
 * start variables ({@link UpgradeProcess.Var}) plus its number and name.
 */
public final class CampaignProcess {
    private CampaignProcess() {}

    public static final String PROCESS_ID = "odoo-upgrade-campaign";

    /** Job types of the campaign's service tasks. */
    public static final class JobType {
        private JobType() {}

        public static final String CHECK = "upgrade-campaign-check";
        public static final String SELECT_TESTS = "upgrade-campaign-select-tests";
        public static final String PREPARE_APPROVAL = "upgrade-campaign-prepare-approval";
        public static final String SELECT_PRODUCTION = "upgrade-campaign-select-production";
        public static final String SUMMARY = "upgrade-campaign-summary";
    }

    /** Elements tests and the front end look for. */
    public static final class Element {
        private Element() {}

        public static final String APPROVE = "approve-campaign";
        public static final String UPGRADE_EACH = "upgrade-each";
        public static final String END = "end-campaign";
        public static final String END_REFUSED = "end-campaign-refused";
    }

    /** Form ids. */
    public static final class Form {
        private Form() {}

        public static final String START = "upgrade-campaign-start";
        public static final String APPROVAL = "upgrade-campaign-approval";
    }

    /** Variable names of the campaign instance. */
    public static final class Var {
        private Var() {}

        /**
         * A folder of dumps (the start form's): without {@link #ITEMS}, every file in it is an item, with the
         * start form's email, target, aim, upload method and skip-tests.
         */
        public static final String DUMPS_DIR = "dumpsDir";
        /** The items: a list of maps with the upgrade's start variables; the check numbers and completes them. */
        public static final String ITEMS = "campaignItems";
        /** How many of them are production upgrades (the one approval is asked when there are any). */
        public static final String PRODUCTION_ITEMS = "productionItems";
        /** Which items "Upgrade each database" runs: "test" first, then "production" (after the approval). */
        public static final String PHASE = "campaignPhase";
        /** The test items' results, kept while the production items run. */
        public static final String TEST_RESULTS = "testResults";
        /** The production items as a table, with how the test upgrade of the same database went, for the approval's form. */
        public static final String APPROVAL_LIST = "approvalList";
        public static final String APPROVAL = "campaignApproval";
        /** Item numbers the approver left out, as typed ("2, 5"). */
        public static final String DROPPED_ITEMS = "droppedItems";
        /** Set in each upgrade a campaign starts: the number of its item (what the terminal shows beside its steps). */
        public static final String ITEM_OF_UPGRADE = "campaignItem";
        /** The items this pass upgrades: the test items, then the production items approved. */
        public static final String RUN_ITEMS = "runItems";
        /** The items not upgraded, and why. */
        public static final String LEFT_OUT = "leftOut";
        /** One result per item of the pass, as the call activity collects them. */
        public static final String ITEM_RESULTS = "itemResults";
        /** The summary: one row per item. */
        public static final String SUMMARY = "campaignSummary";
        public static final String SUMMARY_CSV = "summaryCsv";
        public static final String SUMMARY_HTML = "summaryHtml";
        /** True when every item was upgraded. */
        public static final String ALL_UPGRADED = "allUpgraded";
    }

    /** Keys of an item, besides the upgrade's start variables, and of an item's result. */
    public static final class Item {
        private Item() {}

        /** Its number, from 1, in the order given. */
        public static final String NUMBER = "item";
        /** The dump file's or the database's name. */
        public static final String NAME = "name";
        public static final String OUTCOME = "outcome";
    }
}
