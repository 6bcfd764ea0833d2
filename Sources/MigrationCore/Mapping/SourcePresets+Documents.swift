// The preset mapping documents (format: `RecordMappingFile`). Sources for each field:
// ../shared/fixtures/legacy-exports/FORMATS.md, one section per system.
extension SourcePresets {
    static let auth0 = #"""
    {"format": "auth0", "key": "/user_id",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/email_verified": {"field": "email_verified", "values": {"true": true}},
      "/username": "preferred_username",
      "/phone_number": "phone_number",
      "/phone_verified": {"field": "phone_number_verified", "values": {"true": true}},
      "/name": "name", "/given_name": "given_name", "/family_name": "family_name", "/nickname": "nickname", "/picture": "picture",
      "/blocked": {"field": "disabled", "values": {"true": true}},
      "/app_metadata/roles": {"field": "roles", "type": "list"},
      "/user_metadata/*": "custom_attributes.*"
     },
     "not_imported": {
      "/identities/[isSocial=true]": "OAuth/social identities (the user signs in with the provider again)",
      "/created_at": "original timestamps (created_at, updated_at, last_login)",
      "/multifactor": "enrolled MFA factors (the export has no secrets)",
      "/logins_count": "login counts and last IP addresses"
     }}
    """#

    static let auth0CSV = #"""
    {"format": "auth0", "key": "/user_id",
     "map": {
      "/email": {"field": "email", "strip_prefix": "'", "transform": "lowercase"},
      "/email_verified": {"field": "email_verified", "strip_prefix": "'", "values": {"true": true}},
      "/username": {"field": "preferred_username", "strip_prefix": "'"},
      "/phone_number": {"field": "phone_number", "strip_prefix": "'"},
      "/phone_verified": {"field": "phone_number_verified", "strip_prefix": "'", "values": {"true": true}},
      "/name": {"field": "name", "strip_prefix": "'"},
      "/given_name": {"field": "given_name", "strip_prefix": "'"},
      "/family_name": {"field": "family_name", "strip_prefix": "'"},
      "/nickname": {"field": "nickname", "strip_prefix": "'"},
      "/picture": {"field": "picture", "strip_prefix": "'"},
      "/blocked": {"field": "disabled", "strip_prefix": "'", "values": {"true": true}},
      "/user_metadata.locale": {"field": "locale", "strip_prefix": "'"},
      "/user_metadata.*": {"field": "custom_attributes.*", "strip_prefix": "'"}
     },
     "not_imported": {
      "/provider": "OAuth/social identities (the provider column; social users sign in with the provider again)",
      "/created_at": "original timestamps (created_at, updated_at, last_login)",
      "/logins_count": "login counts and last IP addresses"
     }}
    """#

    static let auth0Passwords = #"""
    {"format": "auth0", "key": "/_id/$oid",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/identifiers/[type=email]/value": {"field": "email", "transform": "lowercase"},
      "/email_verified": {"field": "email_verified", "values": {"true": true}},
      "/identifiers/[type=email]/verified": {"field": "email_verified", "values": {"true": true}},
      "/username": "preferred_username",
      "/identifiers/[type=username]/value": "preferred_username",
      "/passwordHash": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {"/password_set_date": "original timestamps (password_set_date)"}}
    """#

    static let auth0Bulk = #"""
    {"format": "auth0", "key": "/user_id",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/email_verified": {"field": "email_verified", "values": {"true": true}},
      "/username": "preferred_username",
      "/phone_number": "phone_number",
      "/name": "name", "/given_name": "given_name", "/family_name": "family_name", "/nickname": "nickname", "/picture": "picture",
      "/blocked": {"field": "disabled", "values": {"true": true}},
      "/password_hash": {"field": "password.password_hash", "transform": "password"},
      "/custom_password_hash/hash/value": {"field": "password.password_hash", "transform": "password", "scheme_from": "/custom_password_hash/algorithm"},
      "/mfa_factors/0/totp/secret": "mfa.totp.secret",
      "/app_metadata/roles": {"field": "roles", "type": "list"},
      "/user_metadata/*": "custom_attributes.*"
     },
     "not_imported": {}}
    """#

    static let firebase = #"""
    {"format": "firebase", "key": "/localId",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/emailVerified": {"field": "email_verified", "values": {"true": true}},
      "/phoneNumber": "phone_number",
      "/displayName": "name",
      "/photoUrl": "picture",
      "/disabled": {"field": "disabled", "values": {"true": true}},
      "/customAttributes/roles": {"field": "roles", "type": "list"},
      "/customAttributes/*": "custom_attributes.*",
      "/mfaInfo/0/phoneInfo": "mfa.phone_number",
      "/passwordHash": {"field": "password.password_hash", "transform": "password", "scheme": "Firebase scrypt (keyed by the project's hash config)"}
     },
     "not_imported": {
      "/providerUserInfo": "OAuth/social identities (providerUserInfo)",
      "/createdAt": "original timestamps (createdAt, lastSignedInAt)"
     }}
    """#

    static let firebaseColumns29 = ["localId", "email", "emailVerified", "passwordHash", "salt", "displayName", "photoUrl",
                                    "googleId", "googleEmail", "googleName", "googlePhoto",
                                    "facebookId", "facebookEmail", "facebookName", "facebookPhoto",
                                    "twitterId", "twitterEmail", "twitterName", "twitterPhoto",
                                    "githubId", "githubEmail", "githubName", "githubPhoto",
                                    "createdAt", "lastLoginAt", "phoneNumber", "disabled", "customAttributes"]
    static let firebaseColumns53 = firebaseColumns29 + ["apple", "microsoft", "gameCenter", "playGames", "linkedIn", "yahoo"].flatMap { p in
        ["Id", "Email", "Name", "Photo"].map { p + $0 }
    }

    /// The header-less CSV layouts: the columns are named by the preset (plus the trailing empty field).
    static func firebaseCSV(columns: [String]) -> String {
        let names = (columns + ["trailing"]).map { "\"\($0)\"" }.joined(separator: ", ")
        let providers = columns.filter { $0.hasSuffix("Id") && $0 != "localId" }
        let social = providers.map { "\"/\($0)\": \"OAuth/social identities (provider columns)\"" }.joined(separator: ", ")
        return """
        {"format": "firebase", "key": "/localId", "columns": [\(names)],
         "map": {
          "/email": {"field": "email", "transform": "lowercase"},
          "/emailVerified": {"field": "email_verified", "values": {"true": true}},
          "/phoneNumber": "phone_number",
          "/displayName": "name",
          "/photoUrl": "picture",
          "/disabled": {"field": "disabled", "values": {"true": true}},
          "/customAttributes/roles": {"field": "roles", "type": "list"},
          "/customAttributes/*": "custom_attributes.*",
          "/passwordHash": {"field": "password.password_hash", "transform": "password", "scheme": "Firebase scrypt (keyed by the project's hash config)"}
         },
         "not_imported": {\(social), "/createdAt": "original timestamps (createdAt, lastLoginAt)"}}
        """
    }

    static let supabase = #"""
    {"format": "supabase", "key": "/id",
     "skip": {
      "deleted_at set": {"present": "/deleted_at"},
      "anonymous user": {"equals": {"/is_anonymous": [true, "true", "t", "TRUE"]}}
     },
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/email_confirmed_at": {"field": "email_verified", "transform": "present"},
      "/phone": {"field": "phone_number", "add_prefix": "+"},
      "/phone_confirmed_at": {"field": "phone_number_verified", "transform": "present"},
      "/raw_user_meta_data/name": "name", "/raw_user_meta_data/full_name": "name",
      "/first_name": "given_name", "/last_name": "family_name",
      "/raw_user_meta_data/avatar_url": "picture", "/raw_user_meta_data/picture": "picture",
      "/banned_until": {"field": "account_valid_from", "transform": "rfc3339"},
      "/encrypted_password": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {
      "/raw_app_meta_data/providers/1": "OAuth/social identities (a second sign-in provider in raw_app_meta_data.providers)",
      "/created_at": "original timestamps (created_at, last_sign_in_at)"
     }}
    """#

    static let clerk = #"""
    {"format": "clerk", "key": "/id",
     "map": {
      "/primary_email_address": [{"field": "email", "transform": "lowercase"},
                                 {"field": "email_verified", "member_of": "/verified_email_addresses", "separator": "|"}],
      "/primary_phone_number": ["phone_number", {"field": "phone_number_verified", "member_of": "/verified_phone_numbers", "separator": "|"}],
      "/username": "preferred_username",
      "/first_name": "given_name", "/last_name": "family_name",
      "/password_digest": {"field": "password.password_hash", "transform": "password", "scheme_from": "/password_hasher"},
      "/totp_secret": "mfa.totp.secret"
     },
     "not_imported": {
      "/unverified_email_addresses": "other e-mail addresses (one e-mail per user)",
      "/unverified_phone_numbers": "other phone numbers (one phone number per user)"
     }}
    """#

    static let clerkJSON = #"""
    {"format": "clerk", "key": "/id",
     "map": {
      "/primary_email_address": {"field": "email", "transform": "lowercase"},
      "/primary_phone_number": "phone_number",
      "/username": "preferred_username",
      "/first_name": "given_name", "/last_name": "family_name",
      "/image_url": "picture",
      "/public_metadata/roles": {"field": "roles", "type": "list"},
      "/public_metadata/*": "custom_attributes.*",
      "/password_digest": {"field": "password.password_hash", "transform": "password", "scheme_from": "/password_hasher"},
      "/totp_secret": "mfa.totp.secret"
     },
     "not_imported": {
      "/private_metadata": "private and unsafe metadata",
      "/backup_codes": "MFA backup codes"
     }}
    """#

    static let cognito = #"""
    {"format": "cognito", "key": "/Username", "flatten": {"/Attributes": {"name": "Name", "value": "Value"}},
     "map": {
      "/Attributes/email": {"field": "email", "transform": "lowercase"},
      "/Attributes/email_verified": {"field": "email_verified", "values": {"true": true}},
      "/Attributes/phone_number": "phone_number",
      "/Attributes/phone_number_verified": {"field": "phone_number_verified", "values": {"true": true}},
      "/Attributes/preferred_username": "preferred_username",
      "/Attributes/name": "name", "/Attributes/given_name": "given_name", "/Attributes/family_name": "family_name",
      "/Attributes/middle_name": "middle_name", "/Attributes/nickname": "nickname", "/Attributes/profile": "profile",
      "/Attributes/picture": "picture", "/Attributes/website": "website", "/Attributes/gender": "gender",
      "/Attributes/birthdate": "birthdate", "/Attributes/zoneinfo": "zoneinfo", "/Attributes/locale": "locale",
      "/Attributes/address": "address.formatted",
      "/Attributes/custom:*": "custom_attributes.*",
      "/Enabled": {"field": "disabled", "values": {"false": true}}
     },
     "not_imported": {
      "/Attributes/identities": "OAuth/social identities (federated users)",
      "/UserStatus": {"what": "federated users (UserStatus EXTERNAL_PROVIDER: they sign in with their identity provider again)",
                      "when": {"equals": {"/UserStatus": "EXTERNAL_PROVIDER"}}},
      "/UserCreateDate": "original timestamps (UserCreateDate, UserLastModifiedDate)"
     }}
    """#

    static let cognitoCSV = #"""
    {"format": "cognito", "key": "/cognito:username",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/email_verified": {"field": "email_verified", "values": {"true": true, "TRUE": true}},
      "/phone_number": "phone_number",
      "/phone_number_verified": {"field": "phone_number_verified", "values": {"true": true, "TRUE": true}},
      "/preferred_username": "preferred_username",
      "/name": "name", "/given_name": "given_name", "/family_name": "family_name", "/middle_name": "middle_name",
      "/nickname": "nickname", "/profile": "profile", "/picture": "picture", "/website": "website", "/gender": "gender",
      "/birthdate": "birthdate", "/zoneinfo": "zoneinfo", "/locale": "locale",
      "/address": "address.formatted",
      "/custom:*": "custom_attributes.*"
     },
     "not_imported": {
      "/cognito:mfa_enabled": "MFA settings (cognito:mfa_enabled)",
      "/updated_at": "original timestamps (updated_at)"
     }}
    """#

    static let keycloak = #"""
    {"format": "keycloak", "key": "/id",
     "skip": {"service account of a client (serviceAccountClientId)": {"present": "/serviceAccountClientId"}},
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/emailVerified": {"field": "email_verified", "values": {"true": true}},
      "/username": "preferred_username",
      "/firstName": "given_name", "/lastName": "family_name",
      "/attributes/phoneNumber/0": "phone_number",
      "/attributes/locale/0": "locale",
      "/attributes/picture/0": "picture",
      "/enabled": {"field": "disabled", "values": {"false": true}},
      "/realmRoles": {"field": "roles", "type": "list", "drop": ["default-roles-*", "offline_access", "uma_authorization"]},
      "/groups": {"field": "groups", "type": "list", "transform": "group_key"},
      "/credentials/[type=password]/secretData": {"field": "password.password_hash", "transform": "password",
                                                  "scheme_from": "/credentials/[type=password]/credentialData/algorithm"},
      "/credentials/[type=otp]/secretData/value": {"field": "mfa.totp.secret", "transform": "base32"}
     },
     "not_imported": {
      "/federatedIdentities": "OAuth/social identities (federatedIdentities)",
      "/createdTimestamp": "original timestamps (createdTimestamp)",
      "/clientRoles": "client roles"
     }}
    """#

    static let okta = #"""
    {"format": "okta", "key": "/id",
     "map": {
      "/profile/email": [{"field": "email", "transform": "lowercase"},
                         {"field": "email_verified", "member_of": "/credentials/emails/[status=VERIFIED]/value"}],
      "/profile/login": {"field": "preferred_username", "when": {"not": {"contains": {"/profile/login": "@"}}}},
      "/profile/firstName": "given_name", "/profile/lastName": "family_name", "/profile/middleName": "middle_name",
      "/profile/nickName": "nickname", "/profile/displayName": "name", "/profile/profileUrl": "profile",
      "/profile/mobilePhone": {"field": "phone_number", "transform": "phone"},
      "/profile/locale": {"field": "locale", "transform": "bcp47"},
      "/profile/timezone": "zoneinfo",
      "/profile/streetAddress": "address.street_address", "/profile/city": "address.locality", "/profile/state": "address.region",
      "/profile/zipCode": "address.postal_code", "/profile/countryCode": "address.country",
      "/status": {"field": "disabled", "values": {"SUSPENDED": true, "DEPROVISIONED": true, "LOCKED_OUT": true}}
     },
     "not_imported": {
      "/created": "original timestamps (created, activated, lastLogin)",
      "/profile/login": {"what": "Okta logins that are e-mail addresses (the e-mail is the identifier; a login that is not an e-mail becomes preferred_username)",
                         "when": {"contains": {"/profile/login": "@"}}}
     }}
    """#

    static let oktaCSV = #"""
    {"format": "okta", "key": "/login",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/login": {"field": "preferred_username", "when": {"not": {"contains": {"/login": "@"}}}},
      "/firstName": "given_name", "/lastName": "family_name", "/middleName": "middle_name",
      "/nickName": "nickname", "/displayName": "name", "/profileUrl": "profile",
      "/mobilePhone": {"field": "phone_number", "transform": "phone"},
      "/locale": {"field": "locale", "transform": "bcp47"},
      "/timezone": "zoneinfo",
      "/streetAddress": "address.street_address", "/city": "address.locality", "/state": "address.region",
      "/zipCode": "address.postal_code", "/countryCode": "address.country"
     },
     "not_imported": {"/secondEmail": "second e-mail addresses", "/employeeNumber": "employee and organisation fields"}}
    """#

    /// The Admin Console's "Okta Password Health" report.
    static let oktaReport = #"""
    {"format": "okta", "key": "/Login",
     "map": {
      "/Login": {"field": "email", "transform": "lowercase"},
      "/User": "name",
      "/Status": {"field": "disabled", "values": {"SUSPENDED": true, "DEPROVISIONED": true, "LOCKED_OUT": true}}
     },
     "not_imported": {"/Last Login": "original timestamps (Activation date, Last Login, Last Password Change)"}}
    """#

    static let django = #"""
    {"format": "django", "key": "/pk", "only": {"/model": "auth.user"},
     "map": {
      "/fields/email": {"field": "email", "transform": "lowercase"},
      "/fields/username": "preferred_username",
      "/fields/first_name": "given_name", "/fields/last_name": "family_name",
      "/fields/is_active": {"field": "disabled", "values": {"false": true}},
      "/fields/password": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {
      "/fields/last_login": "original timestamps (last_login, date_joined)",
      "/fields/groups": "groups (Django group ids)",
      "/fields/user_permissions": "user permissions"
     }}
    """#

    static let djangoTable = #"""
    {"format": "django", "key": "/id",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/username": "preferred_username",
      "/first_name": "given_name", "/last_name": "family_name",
      "/is_active": {"field": "disabled", "values": {"false": true, "f": true, "0": true, "False": true}},
      "/password": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {"/last_login": "original timestamps (last_login, date_joined)", "/is_staff": "staff and superuser flags"}}
    """#

    static let laravel = #"""
    {"format": "laravel", "key": "/id",
     "skip": {"soft-deleted (deleted_at set)": {"present": "/deleted_at"}},
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/email_verified_at": {"field": "email_verified", "transform": "present"},
      "/name": "name",
      "/password": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {"/created_at": "original timestamps (created_at, updated_at)"}}
    """#

    static let devise = #"""
    {"format": "devise", "key": "/id",
     "map": {
      "/email": {"field": "email", "transform": "lowercase"},
      "/confirmed_at": {"field": "email_verified", "transform": "present"},
      "/encrypted_password": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {
      "/sign_in_count": "sign-in counts and IP addresses",
      "/created_at": "original timestamps (created_at, updated_at, confirmed_at)",
      "/locked_at": "temporary locks (locked_at)"
     }}
    """#

    static let wordpress = #"""
    {"format": "wordpress", "key": "/ID",
     "skip": {"deleted (multisite deleted = 1)": {"equals": {"/deleted": "1"}}},
     "map": {
      "/user_email": {"field": "email", "transform": "lowercase"},
      "/user_login": "preferred_username",
      "/display_name": "name",
      "/user_url": "website",
      "/spam": {"field": "disabled", "values": {"1": true}},
      "/user_pass": {"field": "password.password_hash", "transform": "password"}
     },
     "not_imported": {"/user_registered": "original timestamps (user_registered)"}}
    """#
}
