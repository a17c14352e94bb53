//! Feeding any record into the turn checksum through its serde form: every field in order,
//! strings and sequences with their length, floats by their exact bits, enum variants by their
//! index, an absent optional field by a marker. Whatever a record holds (today's fields and any
//! added later) is covered without a hand-kept list, and without building text: the batch hashes
//! every turn of millions of runs.

use super::checksum::Fnv64;
use serde::Serialize;
use serde::ser;

/// Markers that keep apart what the words alone would not: an absent option, a field left out.
const NONE: u64 = 0x6e6f_6e65;
const SOME: u64 = 0x736f_6d65;
const SKIPPED: u64 = 0x736b_6970;
const OPEN: u64 = u64::MAX;
const CLOSE: u64 = u64::MAX - 1;

impl Fnv64 {
    /// Feeds a whole record, as its serde form.
    pub fn record<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Feeding cannot fail: every serde data type has a place in the hash.
        let _ = value.serialize(&mut *self);
    }
}

/// Never raised: the hash takes every serde data type. Exists because serde asks for one.
#[derive(Debug)]
pub struct Unfed;

impl std::fmt::Display for Unfed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value the checksum cannot take")
    }
}

impl std::error::Error for Unfed {}

impl ser::Error for Unfed {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unfed
    }
}

impl ser::Serializer for &mut Fnv64 {
    type Ok = ();
    type Error = Unfed;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Unfed> {
        self.u64(u64::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unfed> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unfed> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unfed> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unfed> {
        self.u64(v as u64);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unfed> {
        self.serialize_u128(v as u128)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unfed> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unfed> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unfed> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unfed> {
        self.u64(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unfed> {
        self.u64(v as u64);
        self.u64((v >> 64) as u64);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unfed> {
        self.f64(f64::from(v));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unfed> {
        self.f64(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unfed> {
        self.u64(u64::from(v));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unfed> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unfed> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Unfed> {
        self.u64(NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unfed> {
        self.u64(SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unfed> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unfed> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result<(), Unfed> {
        self.u64(u64::from(index));
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Unfed> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unfed> {
        self.u64(u64::from(index));
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Unfed> {
        self.u64(len.map_or(OPEN, |n| n as u64));
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Unfed> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Unfed> {
        Ok(self)
    }
    fn serialize_tuple_variant(self, _: &'static str, index: u32, _: &'static str, _: usize) -> Result<Self, Unfed> {
        self.u64(u64::from(index));
        Ok(self)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, Unfed> {
        self.u64(len.map_or(OPEN, |n| n as u64));
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unfed> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, index: u32, _: &'static str, _: usize) -> Result<Self, Unfed> {
        self.u64(u64::from(index));
        Ok(self)
    }
}

macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Fnv64 {
            type Ok = ();
            type Error = Unfed;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unfed> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Unfed> {
                self.u64(CLOSE);
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Fnv64 {
    type Ok = ();
    type Error = Unfed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unfed> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unfed> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Unfed> {
        self.u64(CLOSE);
        Ok(())
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Fnv64 {
            type Ok = ();
            type Error = Unfed;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result<(), Unfed> {
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, _: &'static str) -> Result<(), Unfed> {
                self.u64(SKIPPED);
                Ok(())
            }
            fn end(self) -> Result<(), Unfed> {
                self.u64(CLOSE);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    fn hash<T: Serialize>(value: &T) -> u64 {
        let mut h = Fnv64::default();
        h.record(value);
        h.finish()
    }

    #[test]
    fn every_field_and_its_place_counts() {
        assert_ne!(hash(&(1u32, 2u32)), hash(&(2u32, 1u32)));
        assert_ne!(hash(&vec!["ab", "c"]), hash(&vec!["a", "bc"]));
        assert_ne!(hash(&Some(0u8)), hash(&None::<u8>));
        assert_ne!(hash(&0.1f64), hash(&(0.1f64 + f64::EPSILON)));
        assert_ne!(hash(&vec![vec![1u8], vec![]]), hash(&vec![vec![], vec![1u8]]));
    }
}
