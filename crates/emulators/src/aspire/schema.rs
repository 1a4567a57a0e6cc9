//! The fields of the entities the emulated lists serve, with their types,
//! as Aspire's OpenAPI document (`Aspire.ExternalApi`, see
//! `docs/contracts/aspire.md`) defines them. A `$filter`, `$orderby`,
//! `$select` or `$expand` may name only these (`ASP-FILTER-1`), and a value
//! compared with one must have its type (`ASP-FILTER-3`, `ASP-FILTER-4`).
//!
//! Each list is one string of `Name:kind` pairs; kinds: `i` integer, `n`
//! number, `s` text, `b` boolean, `d` date-time, `a` collection, `o` object.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A field's type, as far as a filter cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Number,
    Text,
    Boolean,
    DateTime,
    Collection,
    Object,
}

impl Kind {
    fn from_code(code: &str) -> Option<Kind> {
        Some(match code {
            "i" => Kind::Integer,
            "n" => Kind::Number,
            "s" => Kind::Text,
            "b" => Kind::Boolean,
            "d" => Kind::DateTime,
            "a" => Kind::Collection,
            "o" => Kind::Object,
            _ => return None,
        })
    }
}

/// One entity: its name in Aspire's model and its fields.
#[derive(Debug)]
pub(crate) struct Entity {
    pub model: &'static str,
    pub fields: HashMap<&'static str, Kind>,
}

impl Entity {
    pub fn kind(&self, field: &str) -> Option<Kind> {
        self.fields.get(field).copied()
    }
}

/// `GET /Branches`: `Branch`, 33 fields.
const BRANCH: &str = concat!(
    "BranchID:i BranchName:s Active:b InternalPropertyID:i ",
    "InternalPropertyName:s CatalogPriceListName:s BranchAddressID:i ",
    "BranchAddressLine1:s BranchAddressLine2:s BranchAddressCity:s ",
    "BranchAddressStateProvinceCode:s BranchAddressZipCode:s BranchPhone:s ",
    "BranchFax:s BranchCode:s BranchManagerContactID:i ",
    "BranchManagerContactName:s LegalName:s TimeZone:s ",
    "InvoiceNumberPrefix:s ReceiptNumberPrefix:s OpportunityNumberPrefix:s ",
    "RegionID:i RegionName:s BillingEmailFromAccountOwner:b ",
    "BillingEmailFromUserName:s BillingEmailFromEmail:s ",
    "BillingEmailSubject:s BillingEmailBody:s ",
    "InvoiceOnCompletionDescription:s BranchWebSite:s CatalogPriceListID:i ",
    "BillingEmailCC:s ",
);

/// `GET /Contacts`: `Contact`, 47 fields.
const CONTACT: &str = concat!(
    "ContactID:i CompanyID:i CompanyName:s ContactTypeID:i ",
    "ContactTypeName:s OfficeAddress:o HomeAddress:o BranchID:i ",
    "BranchName:s OwnerContactID:i OwnerContactName:s Salutation:s ",
    "FirstName:s LastName:s ProspectRating:s ProspectRatingName:s Title:s ",
    "Email:s MobilePhone:s OfficePhone:s HomePhone:s Fax:s Notes:s ",
    "Active:b CreatedDateTime:d CreatedByUserID:i CreatedByUserName:s ",
    "EmployeeNumber:s Website:s EmployeePin:s AccountingSyncID:s ",
    "ExternalContactReference:s TerminationDate:d HRNotes:s ",
    "DefaultWorkersCompID:i DefaultWorkersCompName:s ",
    "DefaultWorkersCompStateProvinceCode:s UserID:i CrewSize:i ",
    "PromptForCrewSize:b SubCrewLeaderContactID:i PayScheduleID:i ",
    "LastModifiedByUserId:i LastModifiedByUserName:s ModifiedDate:d ",
    "ContactTags:a ContactSignature:s ",
);

/// `GET /Properties`: `Property`, 63 fields.
const PROPERTY: &str = concat!(
    "PropertyID:i PropertyStatusID:i PropertyStatusName:s BranchID:i ",
    "BranchName:s BranchCode:s AccountOwnerContactID:i ",
    "AccountOwnerContactName:s ProductionManagerContactID:i ",
    "ProductionManagerContactName:s PropertyAddressID:i CountyID:i ",
    "PropertyAddressLine1:s PropertyAddressLine2:s PropertyAddressCity:s ",
    "PropertyAddressStateProvinceCode:s PropertyAddressZipCode:s ",
    "LocalityID:i LocalityName:s IndustryID:i IndustryName:s ",
    "LeadSourceID:i LeadSourceName:s TaxJurisdictionID:i ",
    "TaxJurisdictionName:s PropertyGroupID:i ActiveOpportunityID:i ",
    "CompetitorID:i PropertyGroupName:s PropertyName:s PropertyNameAbr:s ",
    "SequenceNumber:s ProductionNote:s Active:b EmailInvoice:b Budget:n ",
    "Note:s CreatedByUserID:i CreatedByUserName:s CreatedDate:d ",
    "GEOPerimeter:n GEOLocationLatitude:n GEOLocationLongitude:n ",
    "PaymentTermsID:i PaymentTermsName:s SeparateInvoices:b Website:s ",
    "ModifiedByUserID:i ModifiedByUserName:s ModifiedDate:d ",
    "DragDropGeoLocation:b GPSUpdated:b GPSGeofenceID:s SnowNote:s ",
    "EarliestOpportunityWonDate:d PropertyContacts:a PropertyTags:a ",
    "PropertyTakeoffItems:a CollectionNotes:s IntegrationID:s ",
    "PropertyTypeID:i PropertyType:s PropertyTypeIntegrationCode:s ",
);

/// `GET /Opportunities`: `Opportunity`, 122 fields.
const OPPORTUNITY: &str = concat!(
    "OpportunityID:i PropertyID:i OpportunityStatusID:i ",
    "OpportunityStatusName:s SalesRepContactID:i SalesRepContactName:s ",
    "OperationsManagerContactID:i OperationsManagerContactName:s ",
    "DivisionID:i DivisionName:s BranchID:i BranchName:s SalesTypeID:i ",
    "SalesTypeName:s TemplateOpportunityID:i LeadSourceID:i ",
    "LeadSourceName:s MasterOpportunityID:i BillingAddressID:i ",
    "BillingAddressLine1:s BillingAddressLine2:s BillingAddressCity:s ",
    "BillingAddressStateProvinceCode:s BillingAddressZipCode:s ",
    "OpportunityType:s MasterSequenceNum:i OpportunityName:s ",
    "ProposalDescription1:s StartDate:d EndDate:d BidDueDate:d ",
    "CreatedDateTime:d ApprovedDate:d ProposedDate:d WonDate:d LostDate:d ",
    "Probability:n AnticipatedCloseDate:d InvoiceType:s ",
    "CustomerContractNum:s CustomerPONum:s BudgetedDollars:n ",
    "EstimatedDollars:n StateTaxPercent:n FederalTaxPercent:n ",
    "CreatedByUserID:i CreatedByUserName:s ApprovedUserID:i ",
    "ApprovedUserName:s ProposedUserID:i ProposedUserName:s ClosedUserID:i ",
    "ClosedUserName:s CompetitorID:i CompetitorName:s LostReason:s ",
    "BillingContactID:i BillingContactName:s ProposalDescription2:s ",
    "OpportunityNumber:i EstimatedCostDollars:n EstimatedOverheadDollars:n ",
    "EstimatedBreakEvenDollars:n EstimatedNetProfitPercent:n ",
    "EstimatedNetProfitDollars:n EstimatedGrossMarginPercent:n ",
    "EstimatedGrossMarginDollars:n EstimatedLaborHours:n ",
    "EstimatedLaborCostPerHour:n EstimatedRealizeRate:n ",
    "EstimatedEquipmentCost:n EstimatedLaborCost:n EstimatedMaterialCost:n ",
    "EstimatedOtherCost:n EstimatedSubCost:n ActualCostDollars:n ",
    "ActualGrossMarginPercent:n ActualGrossMarginDollars:n ",
    "ActualLaborHours:n ActualLaborCostPerHour:n ActualEarnedRevenue:n ",
    "InvoiceNote:s PercentComplete:n RenewalDate:d ModifiedByUserID:i ",
    "ModifiedByUserName:s ModifiedDate:d OverridePaymentTermsID:i ",
    "OverridePaymentTerms:s RetainagePercent:n EstimatorNotes:s ",
    "ElectronicPaymentsOverrideConvenienceFee:n ",
    "OpportunityCanceledReasonID:i OpportunityCanceledReason:s ",
    "RetainageMaturityDate:d DistrictName:s JobStatusName:s RegionName:s ",
    "PaymentTermsID:i BillingCompanyID:i BillingCompanyName:s BranchCode:s ",
    "PropertyName:s DivisionCode:s TaxablePercent:n TaxableAmount:n ",
    "TMPerServiceTaxableAmount:n ActualCostSub:n ActualCostMaterial:n ",
    "ActualCostLabor:n CompleteDate:d OpportunityRevisions:a ",
    "OpportunityBillings:a ScheduleOfValueGroups:a OpportunityStageID:i ",
    "OpportunityStage:s OpportunityStageName:s OpportunityStatus:s ",
    "EstimatedTotalCost:n WonDollars:n MasterOpportunityNumber:i ",
    "RealOpportunityNumber:i ",
);

/// `GET /WorkTickets`: `WorkTicket`, 73 fields.
const WORK_TICKET: &str = concat!(
    "WorkTicketID:i OpportunityServiceID:i ContractYear:i Occur:i ",
    "AnnualizedOccur:i CreatedDateTime:d AnticStartDate:d ",
    "ScheduledStartDate:d CompleteDate:d ApprovedDate:d ",
    "WorkTicketStatusID:i WorkTicketStatusName:s Notes:s ",
    "CrewLeaderContactID:i CrewLeaderName:s HoursEst:n HourCostEst:n ",
    "MaterialCostEst:n EquipCostEst:n SubCostEst:n OtherCostEst:n Price:n ",
    "TMCalcAmount:n TMOverrideAmount:n InvoicedAmount:n ApprovedUserID:i ",
    "ApprovedUserName:s WorkTicketNumber:i InvoiceID:i HoursAct:n ",
    "WarrantyHoursAct:n OTHoursAct:n LaborCostAct:n MaterialCostAct:n ",
    "EquipmentCostAct:n SubCostAct:n OtherCostAct:n TotalCostAct:n ",
    "EarnedRevenue:n RealizeRateRevenue:n OpportunityID:i ",
    "OpportunityNumber:n EstRealizeRateRevenue:n DistributedHours:n ",
    "PartialOccurrence:n BranchID:i BranchName:s LastModifiedByUserID:i ",
    "LastModifiedByUserName:s LastModifiedDateTime:d CreatedByUserID:i ",
    "CreatedByUserName:s SubPartialOccurrence:n WorkTicketStatus:s ",
    "HoursScheduled:n HoursUnscheduled:n WorkTicketRevenues:a ",
    "ReviewedDateTime:d ReviewedUserID:i ReviewedUserName:s ",
    "StartFormDateTime:d StartFormUserId:i Occurrences:i OnSiteHours:n ",
    "OnSiteOverUnder:n OnSiteVariance:n OperationsManagerContactID:i ",
    "Revenue:n PercentComplete:n VisitsScheduled:i ",
    "RouteSupervisorContactID:i BudgetVariance:n InvoiceNumber:i ",
);

/// `GET /WorkTicketTimes`: `WorkTicketTime`, 49 fields.
const WORK_TICKET_TIME: &str = concat!(
    "WorkTicketTimeID:i WorkTicketID:i WorkTicketNumber:i ContactID:i ",
    "ContactName:s WorkTicketTimeDate:d StartTime:d EndTime:d ",
    "OpportunityServiceLaborRateID:i OpportunityServiceLaborRateName:s ",
    "OpportunityServiceLaborRate:n PayCodeID:i PayCodeName:s Hours:n ",
    "OTHours:n WarrantyTime:b DistributedTime:b BurdenedCost:n InvoiceID:i ",
    "CreatedDateTime:d CreatedByUserID:i CreatedByUserName:s ",
    "LastModifiedDateTime:d LastModifiedByUserID:i ",
    "LastModifiedByUserName:s AcceptedDateTime:d AcceptedUserID:i ",
    "AcceptedUserName:s ApprovedDateTime:d ApprovedUserID:i ",
    "ApprovedUserName:s ExportedDateTime:d ExportedUserID:i ",
    "ExportedUserName:s BreakTime:n HasBreakTime:b BaseHourlyRate:n ",
    "RouteID:i RouteName:s CrewLeaderContactID:i CrewLeaderContactName:s ",
    "BranchID:i BranchName:s BranchTimeZone:s GEOLocationStartLatitude:n ",
    "GEOLocationStartLongitude:n GEOLocationEndLatitude:n ",
    "GEOLocationEndLongitude:n InvoiceNumber:i ",
);

/// `GET /PayCodes`: `PayCodeModel`, 10 fields.
const PAY_CODE: &str = concat!(
    "PayCodeID:i PayCodeName:s PremiumDollars:n PremiumPercent:n ",
    "FixedRate:n ExcludeFromOT:b PayCode:s OTPaycode:b Active:b ",
    "PayCodeType:s ",
);
/// The lists the emulator serves: path, model name, fields.
const LISTS: [(&str, &str, &str); 7] = [
    ("/Branches", "Branch", BRANCH),
    ("/Contacts", "Contact", CONTACT),
    ("/Properties", "Property", PROPERTY),
    ("/Opportunities", "Opportunity", OPPORTUNITY),
    ("/WorkTickets", "WorkTicket", WORK_TICKET),
    ("/WorkTicketTimes", "WorkTicketTime", WORK_TICKET_TIME),
    ("/PayCodes", "PayCodeModel", PAY_CODE),
];

fn parse(model: &'static str, fields: &'static str) -> Entity {
    let fields = fields
        .split_whitespace()
        .filter_map(|pair| {
            let (name, code) = pair.split_once(':')?;
            Some((name, Kind::from_code(code)?))
        })
        .collect();
    Entity { model, fields }
}

/// The entity served at `path` (`/Contacts`), if the emulator serves it.
pub(crate) fn entity(path: &str) -> Option<&'static Entity> {
    static ENTITIES: OnceLock<HashMap<&'static str, Entity>> = OnceLock::new();
    ENTITIES
        .get_or_init(|| {
            LISTS
                .iter()
                .map(|(path, model, fields)| (*path, parse(model, fields)))
                .collect()
        })
        .get(path)
}

/// The paths of the lists served.
#[cfg(test)]
pub(crate) fn paths() -> impl Iterator<Item = &'static str> {
    LISTS.iter().map(|(path, _, _)| *path)
}
