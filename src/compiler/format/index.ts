export { formatSpec, type FormatResult } from "./format.js";
