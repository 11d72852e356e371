public enum SecuredRecordsPlaceholder {}
