/**
 * Autumn compatibility: import Autumn's product catalog (v1 products or v2 plans) into this
 * library's catalog. Rules: docs/autumn-catalog.md.
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * Autumn.isAutumnCatalog({ list: [] }) // true
 */
export { autumnCatalogDocument, type CatalogInputDocument, type ImportOptions, importAutumnCatalog, isAutumnCatalog } from "./Products.ts"

// The Autumn-compatible API (issue #6 parts 2–5; docs/autumn-compat.md): operations over the
// customer store and payment ports, Autumn's wire shapes, and a fetch handler at Autumn's paths.
export { AutumnApiError, customerNotFound, errorBody, fromExecuteError, fromPlanError, invalidInputs } from "./ApiError.ts"
export {
  CustomerChanged, CustomerExists, type CustomerPage, type CustomerProfile, CustomerStore, type CustomerStoreOps, layerMemory, makeMemoryStore
} from "./CustomerStore.ts"
export { type AutumnHandler, type AutumnHandlerOptions, makeAutumnHandler } from "./Handler.ts"
export { apiShape, AUTUMN_ROUTES, isMeteringRoute, type Operation, resolveRoute, type ResolvedRoute, type Route, routeCustomerId } from "./Routes.ts"
export { previewUpdate, type PreviewUpdateResponse, updateSubscription } from "./Billing.ts"
export { customerView, getCustomer, getOrCreateCustomer, listCustomers, updateCustomer } from "./Customers.ts"
export { legacyAttach, type LegacyAttachResponse, legacyCancel } from "./Legacy.ts"
export { type AutumnOptions, defaultNewCustomer } from "./AutumnOptions.ts"
export { attach, checkout, multiAttach, previewAttach, previewMultiAttach, resume } from "./Operations.ts"
export { type AttachCall, type CustomerData, CustomerDataSchema, type RequestInput } from "./Requests.ts"
export { AttachBodySchema, decodeAttachBody, decodeMultiAttachBody, MultiAttachBodySchema } from "./AttachRequests.ts"
export { CheckoutBodySchema, decodeCheckoutBody } from "./CheckoutRequests.ts"
export type { AttachResponse, CheckoutResponse, PreviewLineItem, PreviewResponse } from "./Responses.ts"
export { checkoutResponse, attachResponse, minorToMajor, previewResponse, toMillis, toWireAmount } from "./Responses.ts"
export {
  type AutumnFeatureType, basePriceItem, featureType, featureView, type FeatureView, type FreeTrialView, type Product, type ProductItem,
  productItem, type ProductProperties, productProperties, productView, type ViewContext
} from "./ProductView.ts"
export { sandboxCustomers, TEST_PAYMENT_METHOD_FIELD } from "./SandboxCustomers.ts"
// Plan listings priced for a customer by the pricing table (issue #16; docs/autumn-compat.md).
export { getPlan, listPlans, listProducts } from "./Plans.ts"
